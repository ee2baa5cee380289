package dev.parley.relay.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's crypto with one change for DTLS: an encrypted record too short or misaligned to decrypt is dropped
 * like one with a bad MAC, instead of ending the connection.
 *
 * <p>RFC 6347 §4.1.2.7 says invalid DTLS records SHOULD be silently discarded. BouncyCastle 1.84 does that for a bad
 * MAC but answers a short AEAD record with decode_error and a partial CBC block with decryption_failed, both fatal.
 * Such records are framed well enough to pass the record layer, carry no authentication, and so could be sent by
 * anyone able to spoof the peer's address; one of them would tear down a participant's media. Reporting them as
 * bad_record_mac makes BouncyCastle discard them.
 */
final class RecordDiscardingCrypto extends BcTlsCrypto {

    RecordDiscardingCrypto(SecureRandom random) {
        super(random);
    }

    @Override
    public TlsCipher createCipher(TlsCryptoParameters parameters, int encryptionAlgorithm, int macAlgorithm)
            throws IOException {
        return new DiscardingCipher(super.createCipher(parameters, encryptionAlgorithm, macAlgorithm));
    }

    private static final class DiscardingCipher implements TlsCipher {
        private final TlsCipher cipher;

        DiscardingCipher(TlsCipher cipher) {
            this.cipher = cipher;
        }

        @Override
        public TlsDecodeResult decodeCiphertext(long sequenceNumber, short recordType, ProtocolVersion recordVersion,
                byte[] ciphertext, int offset, int length) throws IOException {
            try {
                return cipher.decodeCiphertext(sequenceNumber, recordType, recordVersion, ciphertext, offset, length);
            } catch (TlsFatalAlert alert) {
                short description = alert.getAlertDescription();
                if (description == AlertDescription.decode_error
                        || description == AlertDescription.decryption_failed) {
                    throw new TlsFatalAlert(AlertDescription.bad_record_mac, alert);
                }
                throw alert;
            }
        }

        @Override
        public int getCiphertextDecodeLimit(int plaintextLimit) {
            return cipher.getCiphertextDecodeLimit(plaintextLimit);
        }

        @Override
        public int getCiphertextEncodeLimit(int plaintextLimit) {
            return cipher.getCiphertextEncodeLimit(plaintextLimit);
        }

        @Override
        public int getPlaintextDecodeLimit(int ciphertextLimit) {
            return cipher.getPlaintextDecodeLimit(ciphertextLimit);
        }

        @Override
        public int getPlaintextEncodeLimit(int ciphertextLimit) {
            return cipher.getPlaintextEncodeLimit(ciphertextLimit);
        }

        @Override
        public TlsEncodeResult encodePlaintext(long sequenceNumber, short contentType, ProtocolVersion recordVersion,
                int headerAllocation, byte[] plaintext, int offset, int length) throws IOException {
            return cipher.encodePlaintext(sequenceNumber, contentType, recordVersion, headerAllocation, plaintext,
                    offset, length);
        }

        @Override
        public void rekeyDecoder() throws IOException {
            cipher.rekeyDecoder();
        }

        @Override
        public void rekeyEncoder() throws IOException {
            cipher.rekeyEncoder();
        }

        @Override
        public boolean usesOpaqueRecordTypeDecode() {
            return cipher.usesOpaqueRecordTypeDecode();
        }

        @Override
        public boolean usesOpaqueRecordTypeEncode() {
            return cipher.usesOpaqueRecordTypeEncode();
        }
    }
}
