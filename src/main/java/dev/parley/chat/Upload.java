package dev.parley.chat;

/**
 * Who shares a file with whom.
 *
 * @param senderId the sender's participant id in the meeting
 * @param recipientId the participant it goes to privately, or null for everyone
 * @param kept whether it joins the room's kept chat (a room that keeps its chat, to everyone) or ends with the meeting
 */
public record Upload(String senderName, String senderId, String recipientId, boolean kept) {
}
