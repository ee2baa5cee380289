package dev.parley.chat;

import org.springframework.data.jpa.repository.JpaRepository;

interface ChatSettingsRepository extends JpaRepository<ChatSettings, Integer> {
}
