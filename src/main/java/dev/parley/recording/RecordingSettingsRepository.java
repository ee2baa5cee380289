package dev.parley.recording;

import org.springframework.data.jpa.repository.JpaRepository;

interface RecordingSettingsRepository extends JpaRepository<RecordingSettings, Integer> {
}
