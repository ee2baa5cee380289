package dev.parley.relay.srtp;

/**
 * Published SRTP test vectors, as their sources print them. Each was checked against the RFC text (or the libsrtp
 * source) and against at least one other independent transcription; {@link SrtpReferenceTest} then reproduces every
 * one with the JDK's AES and HMAC, so a slip in copying would fail there.
 */
final class SrtpVectors {
    private SrtpVectors() {
    }

    // RFC 3711 Appendix B.2, AES-CM keystream. The session salt is printed "already shifted"; SSRC, ROC and SEQ are 0.
    static final String B2_SESSION_KEY = "2B7E151628AED2A6ABF7158809CF4F3C";
    static final String B2_SESSION_SALT = "F0F1F2F3F4F5F6F7F8F9FAFBFCFD";
    static final String B2_KEYSTREAM_BLOCKS_0_TO_2 = """
            E03EAD0935C95E80E166B16DD92B4EB4
            D23513162B02D0F72A43A2FE4A5F97AB
            41E95B3BB0A2E8DD477901E4FCA894C0""";
    /** Counters ...FEFF, ...FF00 and ...FF01: keystream blocks 0xFEFF to 0xFF01. */
    static final String B2_KEYSTREAM_BLOCKS_FEFF_TO_FF01 = """
            EC8CDF7398607CB0F2D21675EA9EA1E4
            362B7C3C6773516318A077D7FC5073AE
            6A2CC3787889374FBEB4C81B17BA6C44""";

    // RFC 3711 Appendix B.3, key derivation with kdr = 0.
    static final String B3_MASTER_KEY = "E1F97A0D3E018BE0D64FA32C06DE4139";
    static final String B3_MASTER_SALT = "0EC675AD498AFEEBB6960B3AABE6";
    static final String B3_CIPHER_KEY = "C61E7A93744F39EE10734AFE3FF7A087";
    static final String B3_CIPHER_SALT = "30CBBC08863D8C85D49DB34A9AE1";
    static final String B3_AUTH_KEY = """
            CEBE321F6FF7716B6FD4AB49AF256A15
            6D38BAA48F0A0ACF3C34E2359E6CDBCE
            E049646C43D9327AD175578EF7227098
            6371C10C9A369AC2F94A8C5FBCDDDC25
            6D6E919A48B610EF17C2041E47403576
            6B68642C59BBFC2F34DB60DBDFB2""";

    // libsrtp test/srtp_driver.c, srtp_validate(): the default policy (AES_CM_128_HMAC_SHA1_80 for SRTP and SRTCP),
    // SSRC 0xcafebabe, master key and salt = the first 30 bytes of test_key (the RFC 3711 B.3 master key and salt).
    static final String LIBSRTP_RTP_PLAINTEXT = """
            800f1234 decafbad cafebabe abababab
            abababab abababab abababab""";
    static final String LIBSRTP_SRTP = """
            800f1234 decafbad cafebabe 4e55dc4c
            e79978d8 8ca4d215 949d2402 b78d6acc
            99ea179b 8dbb""";
    static final String LIBSRTP_RTCP_PLAINTEXT = """
            81c8000b cafebabe abababab abababab
            abababab abababab""";
    /** SRTCP index 1: libsrtp numbers its first SRTCP packet 1, jitsi-srtp numbers it 0. */
    static final String LIBSRTP_SRTCP = """
            81c8000b cafebabe 7128035b e487b9bd
            bef89041 f977a5a8 80000001 993e08cd
            54d6c123 0798""";

    // RFC 7714 §16 preamble: the 128-bit key is 00 01 ... 0f, the salt is "Quid pro quo". These are session keys:
    // the vectors start after key derivation.
    static final String RFC7714_KEY = "000102030405060708090a0b0c0d0e0f";
    static final String RFC7714_SALT = "517569642070726f2071756f";

    // RFC 7714 §16.1.1 (encryption) and §16.1.2 (decryption): SSRC 0x5501a0b2, ROC 0, SEQ 0xf17b.
    static final String RFC7714_RTP_IV = "51753c6580c2726f20718414";
    static final String RFC7714_RTP_PLAINTEXT = """
            8040f17b 8041f8d3 5501a0b2 47616c6c
            69612065 7374206f 6d6e6973 20646976
            69736120 696e2070 61727465 73207472
            6573""";
    static final String RFC7714_SRTP = """
            8040f17b 8041f8d3 5501a0b2 f24de3a3
            fb34de6c acba861c 9d7e4bca be633bd5
            0d294e6f 42a5f47a 51c7d19b 36de3adf
            8833899d 7f27beb1 6a9152cf 765ee439
            0cce""";

    // RFC 7714 §17.1 (SRTCP encryption and tagging) and §17.3 (tagging only): sender SSRC "Mars", SRTCP index 0x5d4.
    static final int RFC7714_SRTCP_INDEX = 0x5d4;
    static final String RFC7714_RTCP_IV = "517524055203726f207170bb";
    static final String RFC7714_RTCP_PLAINTEXT = """
            81c8000d 4d617273 4e545031 4e545032
            52545020 0000042a 0000e930 4c756e61
            deadbeef deadbeef deadbeef deadbeef
            deadbeef""";
    static final String RFC7714_SRTCP = """
            81c8000d 4d617273 63e94885 dcdab67c
            a727d766 2f6b7e99 7ff5c0f7 6c06f32d
            c676a5f1 730d6fda 4ce09b46 86303ded
            0bb9275b c84aa458 96cf4d2f c5abf872
            45d9eade 800005d4""";
    static final String RFC7714_SRTCP_TAG_ONLY = """
            81c8000d 4d617273 4e545031 4e545032
            52545020 0000042a 0000e930 4c756e61
            deadbeef deadbeef deadbeef deadbeef
            deadbeef 841dd968 3dd78ec9 2ae58790
            125f62b3 000005d4""";
}
