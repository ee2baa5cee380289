package dev.parley.chat;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A message to everyone in a meeting of a room that keeps its chat. Private messages are never kept: they belong to
 * two people in one meeting, whose participant ids mean nothing afterwards.
 */
@Entity
@Table(name = "chat_message")
public class ChatEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "room_id", nullable = false)
    private long roomId;

    @Column(name = "sender_name", nullable = false, length = 100)
    private String senderName;

    @Column(nullable = false, length = 4000)
    private String text;

    @Column(name = "file_id", length = 32)
    private String fileId;

    @Column(name = "sent_at", nullable = false)
    private Instant sentAt;

    protected ChatEntry() {
    }

    ChatEntry(long roomId, String senderName, String text, String fileId, Instant sentAt) {
        this.roomId = roomId;
        this.senderName = senderName;
        this.text = text;
        this.fileId = fileId;
        this.sentAt = sentAt;
    }

    public Long getId() {
        return id;
    }

    public long getRoomId() {
        return roomId;
    }

    public String getSenderName() {
        return senderName;
    }

    public String getText() {
        return text;
    }

    /** The shared file this message carries, or null (also once the file's retention ended). */
    public String getFileId() {
        return fileId;
    }

    public Instant getSentAt() {
        return sentAt;
    }
}
