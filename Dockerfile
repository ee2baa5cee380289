# Builds Parley from source and runs it as an unprivileged user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# Recording: GStreamer writes each track as the meeting runs (gst-launch-1.0 with the good plugins' RTP depayloaders
# and Matroska/WebM muxer, the bad plugins' opusparse and h264parse); FFmpeg composes the file after the meeting.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg gstreamer1.0-tools gstreamer1.0-plugins-base \
       gstreamer1.0-plugins-good gstreamer1.0-plugins-bad \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home-dir /var/lib/parley --create-home parley
WORKDIR /var/lib/parley
COPY --from=build /src/target/parley.jar /opt/parley/parley.jar
USER parley
# SIGTERM (docker stop) lets Parley finish the recordings under way: give it the time (docker stop -t 30).
STOPSIGNAL SIGTERM
EXPOSE 8080 10000/udp
# The heap: 512 MiB carries about 160 people in meetings (docs/performance.md, Memory); set JAVA_TOOL_OPTIONS to
# change it (e.g. -Xmx2g for more).
ENV JAVA_TOOL_OPTIONS="-Xmx512m"
ENTRYPOINT ["java", "-XX:+UseG1GC", "-jar", "/opt/parley/parley.jar"]
