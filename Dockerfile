# barecat-java in a container: the runnable jar and the launchers on a JRE with FUSE 2.
#   docker build -t barecat .
#   docker run --rm --device /dev/fuse --cap-add SYS_ADMIN --security-opt apparmor:unconfined \
#       -v /data:/data:ro barecat barecat-mount -f /data/train.barecat /mnt/ds
# The README's "Docker" section has more (sharing the mount with the host, unmounting).

# Build: the Maven Wrapper on a JDK (it fetches Maven itself, with curl); asciidoctor for the man pages.
FROM eclipse-temurin:17-jdk-jammy AS build
RUN apt-get update && apt-get install -y --no-install-recommends curl asciidoctor && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -DskipTests -pl cli -am package

# Run: a JRE, fuse (fusermount) and libfuse2 (jnr-fuse binds libfuse.so.2), the jar and the launchers
# in the layout bin/barecat-launch expects (bin/ and lib/barecat.jar side by side).
FROM eclipse-temurin:17-jre-jammy
RUN apt-get update && apt-get install -y --no-install-recommends fuse libfuse2 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/cli/target/barecat.jar /opt/barecat/lib/barecat.jar
COPY bin/barecat bin/barecat-mount bin/barecat-launch bin/mount.fuse.barecat /opt/barecat/bin/
RUN ln -s /opt/barecat/bin/barecat /opt/barecat/bin/barecat-mount /usr/local/bin/ \
    && ln -s /opt/barecat/bin/mount.fuse.barecat /sbin/mount.fuse.barecat \
    && mkdir -p /mnt/ds
CMD ["barecat", "--help"]
