package dev.parley.chat;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A file shared in a meeting's chat: who sent it (by participant id, for that meeting) to whom, what it holds (the type
 * {@link FileCheck} found), and whether it is part of the room's kept chat ({@code kept}: it lasts for the retention)
 * or only of this meeting (it goes when the meeting ends). The bytes lie in {@link SharedFiles}'s folder.
 */
@Entity
@Table(name = "shared_file")
public class SharedFile {

    @Id
    @Column(length = 32)
    private String id;

    @Column(name = "room_id", nullable = false)
    private long roomId;

    @Column(nullable = false, length = 255)
    private String name;

    @Column(name = "content_type", nullable = false, length = 127)
    private String contentType;

    @Column(name = "size_bytes", nullable = false)
    private long size;

    @Column(name = "sender_name", nullable = false, length = 100)
    private String senderName;

    @Column(name = "sender_id", nullable = false, length = 64)
    private String senderId;

    @Column(name = "recipient_id", length = 64)
    private String recipientId;

    @Column(nullable = false)
    private boolean kept;

    @Column(name = "uploaded_at", nullable = false)
    private Instant uploadedAt;

    protected SharedFile() {
    }

    SharedFile(String id, long roomId, String name, String contentType, long size, Upload upload, Instant uploadedAt) {
        this.id = id;
        this.roomId = roomId;
        this.name = name;
        this.contentType = contentType;
        this.size = size;
        this.senderName = upload.senderName();
        this.senderId = upload.senderId();
        this.recipientId = upload.recipientId();
        this.kept = upload.kept();
        this.uploadedAt = uploadedAt;
    }

    public String getId() {
        return id;
    }

    public long getRoomId() {
        return roomId;
    }

    public String getName() {
        return name;
    }

    public String getContentType() {
        return contentType;
    }

    public long getSize() {
        return size;
    }

    public String getSenderName() {
        return senderName;
    }

    public String getSenderId() {
        return senderId;
    }

    /** The one participant it was sent to privately, or null when it went to everyone. */
    public String getRecipientId() {
        return recipientId;
    }

    public boolean isKept() {
        return kept;
    }

    public Instant getUploadedAt() {
        return uploadedAt;
    }

    /** Whether a participant of the meeting it was shared in may download it: anyone, or only its two ends. */
    public boolean isFor(String participantId) {
        return recipientId == null || recipientId.equals(participantId) || senderId.equals(participantId);
    }
}
