package dev.switchboard.identity;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.extension.authenticator.AuthenticationExtensionAuthenticatorOutput;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An authenticator in software for tests: an EC P-256 key pair and a credential id, answering registrations with a
 * {@code none} attestation and authentications with ES256 signatures, exactly as a browser would hand them to the
 * server ({@code PublicKeyCredential.toJSON()}). Its origin, rpId, flags and counter can be bent to play an
 * attacker or a broken device.
 */
public final class SoftwareAuthenticator {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectConverter CONVERTER = new ObjectConverter();

    private final KeyPair keys;
    private final byte[] credentialId;
    /** The origin the browser puts in the client data. */
    public String origin;
    /** The rpId whose SHA-256 the authenticator puts in its data. */
    public String rpId;
    /** Authenticator data flags: user present, user verified. */
    public boolean userPresent = true;
    public boolean userVerified = true;
    /** The signature counter; each assertion adds {@code counterStep} first (0 plays an authenticator without one). */
    public long signCount;
    public long counterStep = 1;

    public SoftwareAuthenticator(String rpId, String origin) {
        this(newKeyPair(), randomBytes(32), rpId, origin, 0);
    }

    private SoftwareAuthenticator(KeyPair keys, byte[] credentialId, String rpId, String origin, long signCount) {
        this.keys = keys;
        this.credentialId = credentialId;
        this.rpId = rpId;
        this.origin = origin;
        this.signCount = signCount;
    }

    /** A copy holding the same private key and credential with its own counter, as a cloned device would. */
    public SoftwareAuthenticator cloned() {
        return new SoftwareAuthenticator(keys, credentialId, rpId, origin, signCount);
    }

    public String credentialId() {
        return B64.encodeToString(credentialId);
    }

    /** The answer to {@code navigator.credentials.create} for these options' challenge. */
    public Map<String, Object> register(String challenge) {
        byte[] clientData = clientData("webauthn.create", challenge);
        AttestedCredentialData attested = new AttestedCredentialData(AAGUID.ZERO, credentialId,
                EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(
                sha256(rpId.getBytes(StandardCharsets.UTF_8)), (byte) (flags() | AuthenticatorData.BIT_AT), signCount,
                attested);
        byte[] attestationObject = new AttestationObjectConverter(CONVERTER)
                .convertToBytes(new AttestationObject(data, new NoneAttestationStatement()));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", B64.encodeToString(clientData));
        response.put("attestationObject", B64.encodeToString(attestationObject));
        response.put("transports", List.of("internal", "hybrid"));
        return credential(response);
    }

    /** The answer to {@code navigator.credentials.get} for these options' challenge, signed with the private key. */
    public Map<String, Object> authenticate(String challenge, String userHandle) {
        signCount += counterStep;
        byte[] clientData = clientData("webauthn.get", challenge);
        AuthenticatorData<AuthenticationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(
                sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags(), signCount);
        byte[] authenticatorData = new AuthenticatorDataConverter(CONVERTER).convert(data);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", B64.encodeToString(clientData));
        response.put("authenticatorData", B64.encodeToString(authenticatorData));
        response.put("signature", B64.encodeToString(sign(authenticatorData, clientData)));
        if (userHandle != null) {
            response.put("userHandle", userHandle);
        }
        return credential(response);
    }

    private Map<String, Object> credential(Map<String, Object> response) {
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("id", credentialId());
        credential.put("rawId", credentialId());
        credential.put("type", "public-key");
        credential.put("response", response);
        credential.put("clientExtensionResults", Map.of());
        credential.put("authenticatorAttachment", "platform");
        return credential;
    }

    private byte flags() {
        int flags = (userPresent ? AuthenticatorData.BIT_UP : 0) | (userVerified ? AuthenticatorData.BIT_UV : 0);
        return (byte) flags;
    }

    private byte[] clientData(String type, String challenge) {
        return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin
                + "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
    }

    /** ES256 over {@code authenticatorData || SHA-256(clientDataJSON)}, DER-encoded as WebAuthn expects. */
    private byte[] sign(byte[] authenticatorData, byte[] clientData) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(keys.getPrivate());
            signature.update(authenticatorData);
            signature.update(sha256(clientData));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
