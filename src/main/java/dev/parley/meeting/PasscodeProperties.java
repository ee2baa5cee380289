package dev.parley.meeting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Wrong room passcodes allowed before a pause (environment: PARLEY_PASSCODE_*): per room and client address (a pause
 * of a minute, doubling each time), per address across rooms (15 minutes, doubling) and per room from every address
 * within an hour (15 minutes, doubling).
 */
@ConfigurationProperties(prefix = "parley.passcode")
public record PasscodeProperties(@DefaultValue("5") int maxTriesPerRoomAndAddress,
                                 @DefaultValue("20") int maxTriesPerAddress,
                                 @DefaultValue("100") int maxTriesPerRoom) {
}
