package dev.parley.recording;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One file a recording wrote: a participant's microphone, camera or screen share from when it started to when it
 * ended (a participant who leaves and comes back, or shares again, makes a new one), with its offsets from the
 * recording's start, which place it in the composed file.
 */
@Entity
@Table(name = "recording_track")
public class RecordingTrack {

    /**
     * RECORDING while its recorder writes; COMPLETE when the recorder finished it; RECOVERED when Parley stopped
     * while it was written and it was repaired afterwards; DAMAGED when it could not be.
     */
    public enum State { RECORDING, COMPLETE, RECOVERED, DAMAGED }

    @Id
    @Column(length = 32)
    private String id;

    @Column(name = "recording_id", nullable = false, length = 32)
    private String recordingId;

    @Column(name = "participant_id", nullable = false, length = 64)
    private String participantId;

    /** One person across leaving and rejoining; null for tracks recorded before it was kept. */
    @Column(name = "person_key", length = 80)
    private String personKey;

    @Column(name = "participant_name", nullable = false, length = 100)
    private String participantName;

    /** audio or video. */
    @Column(nullable = false, length = 8)
    private String kind;

    /** microphone, camera or screen. */
    @Column(nullable = false, length = 16)
    private String source;

    @Column(nullable = false, length = 16)
    private String codec;

    @Column(name = "file_name", nullable = false, length = 100)
    private String fileName;

    /**
     * When its recorder started, from the recording's start: the file's timestamp 0. Its first frame comes later (a
     * camera's first key frame, a camera turned on minutes after its owner joined), and the file's own timestamps
     * say how much later: gst-launch stamps media with the time since its pipeline started.
     */
    @Column(name = "started_ms", nullable = false)
    private long startedMillis;

    @Column(name = "ended_ms")
    private Long endedMillis;

    @Column(name = "size_bytes")
    private Long sizeBytes;

    /** The recorder's process while it writes, so one left behind by a crash can be finished at the next start. */
    @Column
    private Long pid;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private State state;

    protected RecordingTrack() {
    }

    RecordingTrack(String id, String recordingId, String participantId, String personKey, String participantName,
                   String kind, String source, String codec, String fileName, long startedMillis, long pid) {
        this.id = id;
        this.recordingId = recordingId;
        this.participantId = participantId;
        this.personKey = personKey;
        this.participantName = participantName;
        this.kind = kind;
        this.source = source;
        this.codec = codec;
        this.fileName = fileName;
        this.startedMillis = startedMillis;
        this.pid = pid;
        this.state = State.RECORDING;
    }

    public String getId() {
        return id;
    }

    public String getRecordingId() {
        return recordingId;
    }

    /** Whose tile its file shares in the composed video: one person's, across leaving and rejoining. */
    public String tileOwner() {
        return personKey != null ? personKey : participantId;
    }

    public String getParticipantId() {
        return participantId;
    }

    public String getParticipantName() {
        return participantName;
    }

    public String getKind() {
        return kind;
    }

    public String getSource() {
        return source;
    }

    public String getCodec() {
        return codec;
    }

    public String getFileName() {
        return fileName;
    }

    public long getStartedMillis() {
        return startedMillis;
    }

    public Long getEndedMillis() {
        return endedMillis;
    }

    public Long getSizeBytes() {
        return sizeBytes;
    }

    public Long getPid() {
        return pid;
    }

    public State getState() {
        return state;
    }

    public boolean isAudio() {
        return "audio".equals(kind);
    }

    public boolean isScreen() {
        return "screen".equals(source);
    }

    void finished(State result, long endedMillis, long sizeBytes) {
        this.state = result;
        this.endedMillis = endedMillis;
        this.sizeBytes = sizeBytes;
        this.pid = null;
    }
}
