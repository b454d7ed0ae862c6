package dev.switchboard.vault;

import dev.switchboard.failure.ConflictException;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** The vault's store in memory, for the core's tests; the SQL one is tested against the same vault in the store. */
final class MemoryVaultStore implements VaultStore {

    String keyCheck;
    final Map<String, String> dataKeys = new LinkedHashMap<>();
    final Map<String, Sealed> entries = new LinkedHashMap<>();
    int writes;

    @Override
    public synchronized Optional<String> keyCheck() {
        return Optional.ofNullable(keyCheck);
    }

    @Override
    public synchronized boolean initializeKeyCheck(String check, Instant now) {
        if (keyCheck != null) {
            return false;
        }
        writes++;
        keyCheck = check;
        return true;
    }

    @Override
    public synchronized Optional<String> dataKey(String ownerId) {
        return Optional.ofNullable(dataKeys.get(ownerId));
    }

    @Override
    public synchronized String addDataKey(String ownerId, String wrapped, String check, Instant now) {
        if (!check.equals(keyCheck)) {
            throw new IllegalStateException("key check changed");
        }
        writes++;
        return dataKeys.computeIfAbsent(ownerId, owner -> wrapped);
    }

    @Override
    public synchronized void insert(VaultEntry entry, String sealedValue) {
        if (findByName(entry.ownerId(), entry.name()).isPresent()) {
            throw new ConflictException("taken", Map.of());
        }
        writes++;
        entries.put(entry.id(), new Sealed(entry, sealedValue));
    }

    @Override
    public synchronized Optional<VaultEntry> find(String ownerId, String id) {
        return Optional.ofNullable(entries.get(id)).map(Sealed::entry).filter(e -> e.ownerId().equals(ownerId));
    }

    @Override
    public synchronized Optional<Sealed> findByName(String ownerId, String name) {
        return entries.values().stream()
                .filter(s -> s.entry().ownerId().equals(ownerId) && s.entry().name().equals(name))
                .findFirst();
    }

    @Override
    public synchronized List<VaultEntry> list(String ownerId) {
        return entries.values().stream().map(Sealed::entry).filter(e -> e.ownerId().equals(ownerId))
                .sorted(Comparator.comparing(VaultEntry::name)).toList();
    }

    @Override
    public synchronized boolean update(VaultEntry entry) {
        Sealed old = entries.get(entry.id());
        if (old == null || !old.entry().ownerId().equals(entry.ownerId())) {
            return false;
        }
        writes++;
        entries.put(entry.id(), new Sealed(entry, old.value()));
        return true;
    }

    @Override
    public synchronized boolean replaceValue(VaultEntry entry, String sealedValue, int expectedVersion) {
        Sealed old = entries.get(entry.id());
        if (old == null || !old.entry().ownerId().equals(entry.ownerId()) || old.entry().version() != expectedVersion) {
            return false;
        }
        writes++;
        entries.put(entry.id(), new Sealed(entry, sealedValue));
        return true;
    }

    @Override
    public synchronized boolean delete(String ownerId, String id) {
        writes++;
        return find(ownerId, id).isPresent() && entries.remove(id) != null;
    }

    @Override
    public synchronized int rewrapDataKeys(String expected, String next, BiFunction<String, String, String> rewrap,
            Instant now) {
        if (!expected.equals(keyCheck)) {
            throw new IllegalStateException("key check changed");
        }
        // all or nothing, as the SQL store's transaction
        Map<String, String> rewrapped = new LinkedHashMap<>();
        dataKeys.forEach((owner, wrapped) -> rewrapped.put(owner, rewrap.apply(owner, wrapped)));
        dataKeys.putAll(rewrapped);
        keyCheck = next;
        writes++;
        return rewrapped.size();
    }
}
