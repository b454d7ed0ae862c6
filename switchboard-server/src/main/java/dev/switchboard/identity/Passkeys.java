package dev.switchboard.identity;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.CollectedClientDataConverter;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.ClientDataType;
import com.webauthn4j.data.client.CollectedClientData;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.BadAlgorithmException;
import com.webauthn4j.verifier.exception.BadBackupEligibleFlagException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.BadTopOriginException;
import com.webauthn4j.verifier.exception.CredentialIdTooLongException;
import com.webauthn4j.verifier.exception.CrossOriginException;
import com.webauthn4j.verifier.exception.IllegalBackupStateException;
import com.webauthn4j.verifier.exception.InconsistentClientDataTypeException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.MissingChallengeException;
import com.webauthn4j.verifier.exception.NotAllowedAlgorithmException;
import com.webauthn4j.verifier.exception.NotAllowedCredentialIdException;
import com.webauthn4j.verifier.exception.PublicKeyMismatchException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.switchboard.Ids;
import dev.switchboard.audit.AuditEvent;
import dev.switchboard.audit.AuditLog;
import dev.switchboard.failure.ConflictException;
import dev.switchboard.failure.ForbiddenException;
import dev.switchboard.failure.InvalidInputException;
import dev.switchboard.failure.NotFoundException;
import dev.switchboard.failure.UnauthorizedException;
import dev.switchboard.user.Passkey;
import dev.switchboard.user.PasskeyChallenge;
import dev.switchboard.user.PasskeyChallenge.Ceremony;
import dev.switchboard.user.PasskeyStore;
import dev.switchboard.user.User;
import dev.switchboard.user.UserStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Passkeys (WebAuthn): hands out the options of the registration and authentication ceremonies, verifies what the
 * authenticator answered with webauthn4j, and keeps the credentials. Every challenge is random, bound to its
 * ceremony (and for a registration to its user), stored so any node can check it, and good once.
 */
public final class Passkeys {

    /** The most passkeys one user may hold; more is a mistake or an attempt to fill the database. */
    public static final int MAX_PER_USER = 50;
    /** ES256 and RS256: what every authenticator and platform offers, in order of preference. */
    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String CLIENT_DATA = "response.clientDataJSON";
    private static final String ATTESTATION_OBJECT = "response.attestationObject";
    private static final String AUTHENTICATOR_DATA = "response.authenticatorData";

    /**
     * What identifies this relying party to browsers and authenticators.
     *
     * @param rpId the domain passkeys are bound to (the site's host or a parent of it)
     * @param origins the origins ({@code scheme://host[:port]}) a ceremony may come from; asked for at each
     *     ceremony, because the defaults name the port the server bound
     * @param timeout how long a ceremony may take, and how long its challenge stays good
     * @param requireUserVerification whether the authenticator must verify the user (PIN, biometrics), not only
     *     see that someone is present
     */
    public record Settings(String rpId, String rpName, Supplier<List<String>> origins, Duration timeout,
            boolean requireUserVerification) {

        public Settings {
            Objects.requireNonNull(rpId, "rpId");
            Objects.requireNonNull(rpName, "rpName");
            Objects.requireNonNull(origins, "origins");
            Objects.requireNonNull(timeout, "timeout");
        }

        /** WebAuthn's {@code userVerification} value for these settings. */
        public String userVerification() {
            return requireUserVerification ? "required" : "preferred";
        }
    }

    /** A credential the browser should exclude (registration) or may use (authentication). */
    public record Descriptor(String id, List<String> transports) {
    }

    /** The options of a registration ({@code navigator.credentials.create}); challenge and ids are base64url. */
    public record CreationOptions(String challenge, String rpId, String rpName, String userHandle, String userName,
            String userDisplayName, List<Descriptor> excludeCredentials, long timeoutMillis,
            String userVerification) {
    }

    /** The options of an authentication ({@code navigator.credentials.get}); challenge and ids are base64url. */
    public record RequestOptions(String challenge, String rpId, List<Descriptor> allowCredentials,
            long timeoutMillis, String userVerification) {
    }

    /** What the browser answered a registration with, decoded from base64url. */
    public record Attestation(byte[] clientDataJSON, byte[] attestationObject, List<String> transports,
            String name) {
    }

    /** What the browser answered an authentication with, decoded from base64url; {@code userHandle} may be null. */
    public record Assertion(byte[] credentialId, byte[] clientDataJSON, byte[] authenticatorData, byte[] signature,
            byte[] userHandle) {
    }

    private final PasskeyStore store;
    private final UserStore users;
    private final AuditLog audit;
    private final Settings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final WebAuthnManager webAuthn;
    private final CollectedClientDataConverter clientDataConverter;
    private final AttestedCredentialDataConverter credentialDataConverter;

    public Passkeys(PasskeyStore store, UserStore users, AuditLog audit, Settings settings, Clock clock) {
        this.store = store;
        this.users = users;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
        ObjectConverter converter = new ObjectConverter();
        // non-strict: attestation statements are checked for consistency but not chained to vendors' roots,
        // which is what attestation "none" (the only kind asked for) means anyway
        this.webAuthn = WebAuthnManager.createNonStrictWebAuthnManager(converter);
        this.clientDataConverter = new CollectedClientDataConverter(converter);
        this.credentialDataConverter = new AttestedCredentialDataConverter(converter);
    }

    // ---- registration

    /** Starts registering a passkey for a signed-in user. */
    public CreationOptions registrationOptions(String userId) {
        User user = accountOf(userId);
        String handle = store.userHandle(userId, randomBase64url(32));
        String challenge = issueChallenge(Ceremony.REGISTRATION, userId);
        List<Descriptor> exclude = store.list(userId).stream()
                .map(p -> new Descriptor(p.credentialId(), p.transports()))
                .toList();
        String displayName = user.displayName() == null || user.displayName().isBlank()
                ? user.username() : user.displayName();
        return new CreationOptions(challenge, settings.rpId(), settings.rpName(), handle, user.username(),
                displayName, exclude, settings.timeout().toMillis(), settings.userVerification());
    }

    /**
     * Verifies the authenticator's answer to {@link #registrationOptions} (challenge, origin, rpId hash, user
     * presence and verification, algorithm, attestation) and stores the passkey.
     *
     * @param ip the caller's address, for the audit log
     */
    public Passkey register(String userId, Attestation attestation, String ip) {
        accountOf(userId);
        try {
            return verifyAndStore(userId, attestation, ip);
        } catch (InvalidInputException | ConflictException e) {
            recordFailure(userId, Ceremony.REGISTRATION, e.getMessage(), ip);
            throw e;
        }
    }

    private Passkey verifyAndStore(String userId, Attestation attestation, String ip) {
        CollectedClientData clientData = clientData(attestation.clientDataJSON());
        if (!ClientDataType.WEBAUTHN_CREATE.equals(clientData.getType())) {
            throw new InvalidInputException(CLIENT_DATA, "type must be webauthn.create for a registration");
        }
        PasskeyChallenge challenge = take(clientData, Ceremony.REGISTRATION)
                .filter(c -> userId.equals(c.userId()))
                .orElseThrow(() -> new InvalidInputException(CLIENT_DATA,
                        "the challenge is unknown, expired or already used; ask for new options"));
        Set<String> transports = new LinkedHashSet<>(attestation.transports());
        RegistrationData verified;
        try {
            verified = webAuthn.verify(
                    new RegistrationRequest(attestation.attestationObject(), attestation.clientDataJSON(), transports),
                    new RegistrationParameters(serverProperty(challenge), ALGORITHMS,
                            settings.requireUserVerification(), true));
        } catch (DataConversionException e) {
            throw new InvalidInputException(ATTESTATION_OBJECT, "is not a valid attestation object");
        } catch (VerificationException e) {
            Refusal refusal = Refusal.of(e);
            // at registration the authenticator data travels inside the attestation object
            String field = refusal.field().equals(AUTHENTICATOR_DATA) ? ATTESTATION_OBJECT : refusal.field();
            throw new InvalidInputException(field, refusal.message());
        }
        AuthenticatorData<?> authenticatorData = verified.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData credential = authenticatorData.getAttestedCredentialData();
        String credentialId = BASE64URL.encodeToString(credential.getCredentialId());
        if (store.list(userId).size() >= MAX_PER_USER) {
            throw new ConflictException("A user may hold at most " + MAX_PER_USER + " passkeys; delete one first",
                    Map.of("limit", MAX_PER_USER));
        }
        Instant now = clock.instant();
        String name = attestation.name() == null || attestation.name().isBlank()
                ? "Passkey " + now.toString().substring(0, 10) : attestation.name().strip();
        Passkey passkey = new Passkey(Ids.next("pk"), userId, credentialId,
                BASE64URL.encodeToString(credentialDataConverter.convert(credential)),
                authenticatorData.getSignCount(), authenticatorData.isFlagUV(), authenticatorData.isFlagBE(),
                authenticatorData.isFlagBS(), List.copyOf(transports), name, now, null);
        store.add(passkey);
        record(AuditEvent.of("auth.passkey.registered", userId, "passkey", passkey.id(), "success",
                Map.of("name", passkey.name(), "aaguid", credential.getAaguid().toString())), ip);
        return passkey;
    }

    // ---- authentication

    /**
     * Starts a sign-in. With a username the browser is told which of that user's passkeys it may use, and only they
     * pass; without one any discoverable passkey may answer. An unknown username gets the same answer as a user
     * without passkeys, so the options do not tell who has an account.
     */
    public RequestOptions authenticationOptions(String username) {
        String userId = null;
        List<Descriptor> allow = List.of();
        if (username != null) {
            Optional<User> user = users.findUserByName(username).filter(u -> !u.disabled());
            if (user.isPresent()) {
                userId = user.get().id();
                allow = store.list(userId).stream().map(p -> new Descriptor(p.credentialId(), p.transports()))
                        .toList();
            }
        }
        // a named user without passkeys narrows nothing: the challenge stays open, as for an unknown name
        String challenge = issueChallenge(Ceremony.AUTHENTICATION, allow.isEmpty() ? null : userId);
        return new RequestOptions(challenge, settings.rpId(), allow, settings.timeout().toMillis(),
                settings.userVerification());
    }

    /**
     * Verifies an assertion against {@link #authenticationOptions}: the challenge (used up whatever the outcome),
     * origin, rpId hash, user presence and verification, the signature with the stored public key, and a sign
     * counter that must grow when the authenticator keeps one. Throws {@link UnauthorizedException} when any of it
     * fails or the account is disabled.
     *
     * @return the passkey that signed, as it is stored after this use
     */
    public Passkey authenticate(Assertion assertion, String ip) {
        CollectedClientData clientData = clientData(assertion.clientDataJSON());
        String credentialId = BASE64URL.encodeToString(assertion.credentialId());
        Optional<PasskeyChallenge> challenge = take(clientData, Ceremony.AUTHENTICATION);
        Optional<Passkey> found = store.findByCredentialId(credentialId);
        String owner = found.map(Passkey::userId).orElse(null);
        if (challenge.isEmpty()) {
            throw refuse(owner, "the challenge is unknown, expired or already used; ask for new options", ip);
        }
        if (found.isEmpty()) {
            throw refuse(null, "this passkey is not registered", ip);
        }
        Passkey passkey = found.get();
        if (challenge.get().userId() != null && !challenge.get().userId().equals(owner)) {
            throw refuse(owner, "this passkey does not belong to the user the sign-in was started for", ip);
        }
        if (assertion.userHandle() != null && assertion.userHandle().length > 0
                && !store.userOfHandle(BASE64URL.encodeToString(assertion.userHandle()))
                        .filter(owner::equals).isPresent()) {
            throw refuse(owner, "the user handle does not belong to this passkey's user", ip);
        }
        AuthenticationData verified;
        try {
            verified = webAuthn.verify(
                    new AuthenticationRequest(assertion.credentialId(), assertion.userHandle(),
                            assertion.authenticatorData(), assertion.clientDataJSON(), null, assertion.signature()),
                    new AuthenticationParameters(serverProperty(challenge.get()), credentialRecord(passkey),
                            List.of(assertion.credentialId()), settings.requireUserVerification(), true));
        } catch (DataConversionException e) {
            recordFailure(owner, Ceremony.AUTHENTICATION, "malformed authenticator data", ip);
            throw new InvalidInputException(AUTHENTICATOR_DATA, "is not valid authenticator data");
        } catch (VerificationException e) {
            throw refuse(owner, Refusal.of(e).message(), ip);
        }
        Optional<User> user = users.findUser(owner);
        if (user.isEmpty() || user.get().disabled()) {
            throw refuse(owner, "the account is disabled", ip);
        }
        AuthenticatorData<?> authenticatorData = verified.getAuthenticatorData();
        long signCount = authenticatorData.getSignCount();
        Instant now = clock.instant();
        if (!store.recordUse(passkey.id(), passkey.signCount(), signCount, authenticatorData.isFlagBS(), now)) {
            // another sign-in with this passkey got in first with the same counter: one of the two is a clone
            throw refuse(owner, "the passkey was used concurrently; try again", ip);
        }
        record(AuditEvent.of("auth.passkey.login", owner, "passkey", passkey.id(), "success",
                Map.of("name", passkey.name())), ip);
        return new Passkey(passkey.id(), owner, passkey.credentialId(), passkey.credentialData(), signCount,
                passkey.uvInitialized() || authenticatorData.isFlagUV(), passkey.backupEligible(),
                authenticatorData.isFlagBS(), passkey.transports(), passkey.name(), passkey.createdAt(), now);
    }

    // ---- the user's passkeys

    /** The user's passkeys, oldest first. */
    public List<Passkey> list(String userId) {
        return store.list(userId);
    }

    /** Deletes one of the user's passkeys; {@link NotFoundException} when the user has none with that id. */
    public void delete(String userId, String passkeyId, String ip) {
        if (!store.delete(userId, passkeyId)) {
            throw new NotFoundException("passkey", passkeyId);
        }
        record(AuditEvent.of("auth.passkey.deleted", userId, "passkey", passkeyId, "success", Map.of()), ip);
    }

    // ---- shared steps

    /** The user account behind a signed-in caller; the operator's API key has none to bind a passkey to. */
    private User accountOf(String userId) {
        return users.findUser(userId)
                .filter(u -> !u.disabled())
                .orElseThrow(() -> new ForbiddenException(
                        "Passkeys belong to user accounts; sign in as a user to manage them", Map.of()));
    }

    private String issueChallenge(Ceremony ceremony, String userId) {
        String challenge = randomBase64url(32);
        Instant now = clock.instant();
        store.saveChallenge(new PasskeyChallenge(challenge, ceremony, userId, now, now.plus(settings.timeout())));
        return challenge;
    }

    private Optional<PasskeyChallenge> take(CollectedClientData clientData, Ceremony ceremony) {
        if (clientData.getChallenge() == null) {
            return Optional.empty();
        }
        return store.takeChallenge(BASE64URL.encodeToString(clientData.getChallenge().getValue()), ceremony,
                clock.instant());
    }

    private CollectedClientData clientData(byte[] json) {
        try {
            CollectedClientData data = clientDataConverter.convert(json);
            if (data == null || data.getType() == null || data.getOrigin() == null) {
                throw new InvalidInputException(CLIENT_DATA,
                        "must hold the type, challenge and origin of the ceremony");
            }
            return data;
        } catch (DataConversionException | IllegalArgumentException e) {
            throw new InvalidInputException(CLIENT_DATA, "is not valid client data JSON");
        }
    }

    private ServerProperty serverProperty(PasskeyChallenge challenge) {
        Set<Origin> origins = settings.origins().get().stream().map(Origin::new)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return new ServerProperty(origins, settings.rpId(), new DefaultChallenge(challenge.challenge()));
    }

    private CredentialRecordImpl credentialRecord(Passkey passkey) {
        AttestedCredentialData credential = credentialDataConverter.convert(
                Base64.getUrlDecoder().decode(passkey.credentialData()));
        Set<AuthenticatorTransport> transports = passkey.transports().stream().map(AuthenticatorTransport::create)
                .collect(Collectors.toSet());
        return new CredentialRecordImpl(null, passkey.uvInitialized(), passkey.backupEligible(),
                passkey.backupState(), passkey.signCount(), credential, null, null, null, transports);
    }

    private UnauthorizedException refuse(String userId, String reason, String ip) {
        recordFailure(userId, Ceremony.AUTHENTICATION, reason, ip);
        return new UnauthorizedException("passkey_refused", "Passkey sign-in failed: " + reason, Map.of());
    }

    private void recordFailure(String userId, Ceremony ceremony, String reason, String ip) {
        record(AuditEvent.of("auth.passkey.failed", userId, "passkey", null, "failure",
                Map.of("ceremony", ceremony.name().toLowerCase(Locale.ROOT), "reason", reason)), ip);
    }

    private void record(AuditEvent event, String ip) {
        audit.record(ip == null ? event : event.withIp(ip));
    }

    private String randomBase64url(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return BASE64URL.encodeToString(value);
    }

    /** Why webauthn4j refused a response, in words for the client, and which part of the response is at fault. */
    private record Refusal(String field, String message) {

        static Refusal of(VerificationException e) {
            String data = AUTHENTICATOR_DATA;
            return switch (e) {
                case BadChallengeException x -> new Refusal(CLIENT_DATA, "the challenge is not the one issued");
                case MissingChallengeException x -> new Refusal(CLIENT_DATA, "the challenge is missing");
                case BadOriginException x -> new Refusal(CLIENT_DATA, "the origin is not allowed");
                case BadTopOriginException x -> new Refusal(CLIENT_DATA, "the top origin is not allowed");
                case CrossOriginException x -> new Refusal(CLIENT_DATA, "a cross-origin ceremony is not allowed");
                case InconsistentClientDataTypeException x -> new Refusal(CLIENT_DATA,
                        "the client data is for the other ceremony");
                case BadRpIdException x -> new Refusal(data,
                        "the rpId hash is not this server's relying party id");
                case UserNotPresentException x -> new Refusal(data, "the user was not present (UP flag unset)");
                case UserNotVerifiedException x -> new Refusal(data, "the user was not verified (UV flag unset)");
                case BadSignatureException x -> new Refusal("response.signature", "the signature is not valid");
                case PublicKeyMismatchException x -> new Refusal("response.signature", "the signature is not valid");
                case MaliciousCounterValueException x -> new Refusal(data,
                        "the sign counter did not increase; the authenticator may have been cloned");
                case NotAllowedAlgorithmException x -> new Refusal(ATTESTATION_OBJECT,
                        "the key algorithm is not allowed (ES256 or RS256)");
                case BadAlgorithmException x -> new Refusal(ATTESTATION_OBJECT,
                        "the key algorithm does not match the attestation");
                case NotAllowedCredentialIdException x -> new Refusal("id", "this credential is not allowed here");
                case CredentialIdTooLongException x -> new Refusal("id", "the credential id is too long");
                case BadBackupEligibleFlagException x -> new Refusal(data, "the backup eligibility flag changed");
                case IllegalBackupStateException x -> new Refusal(data, "the backup flags are inconsistent");
                default -> new Refusal(ATTESTATION_OBJECT, "the attestation is not valid");
            };
        }
    }
}
