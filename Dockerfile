# Builds Parley from source and runs it as an unprivileged user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /var/lib/parley --create-home parley
WORKDIR /var/lib/parley
COPY --from=build /src/target/parley.jar /opt/parley/parley.jar
USER parley
EXPOSE 8080 10000/udp
ENTRYPOINT ["java", "-XX:+UseG1GC", "-jar", "/opt/parley/parley.jar"]
