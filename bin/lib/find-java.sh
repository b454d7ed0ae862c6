# Sourced by the scripts in bin/: sets JAVA to a java of version 21 or newer, looking at $JAVA_HOME,
# then java on PATH, then the JDKs under /usr/lib/jvm; exits with a clear message when there is none.

java_major() {
  # a JDK's release file names its version; asking the JVM itself costs a JVM start
  local release
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
  else
    "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
  fi
}

JAVA=""
for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" /usr/lib/jvm/*/bin/java; do
  [ -n "$candidate" ] && [ -x "$candidate" ] || continue
  major="$(java_major "$candidate" || true)"
  if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
    JAVA="$(readlink -f "$candidate")"
    JAVA_MAJOR="$major"
    break
  fi
done
if [ -z "$JAVA" ]; then
  echo "switchboard: no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
  echo "Install one, or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME="$(dirname "$(dirname "$JAVA")")"
