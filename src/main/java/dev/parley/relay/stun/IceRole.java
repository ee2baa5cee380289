package dev.parley.relay.stun;

/** The ICE role an agent announces in its checks with ICE-CONTROLLING or ICE-CONTROLLED (RFC 8445 section 7.1.3). */
public enum IceRole {
    CONTROLLING(StunAttributeType.ICE_CONTROLLING),
    CONTROLLED(StunAttributeType.ICE_CONTROLLED);

    private final int attributeType;

    IceRole(int attributeType) {
        this.attributeType = attributeType;
    }

    public int attributeType() {
        return attributeType;
    }
}
