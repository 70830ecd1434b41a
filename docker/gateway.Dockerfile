####
# The Streembit gateway in JVM mode, laid out as Quarkus' own Dockerfile.jvm: the fast-jar's four
# parts as four layers, user 185, started by the base image's run-java.sh (container-sized heap).
#
# Build the application, then the image, with the repository root as the build context:
#
#   ./mvnw -B -ntp -pl src/gateway -am package -DskipTests
#   docker build -f docker/gateway.Dockerfile -t streembit-gateway:0.1.0 .
#
# Run it against a PostgreSQL and with a gateway key (docs/deploy.md):
#
#   docker run --rm -p 8080:8080 -p 4100:4100 -v "$PWD/keys:/etc/streembit/key:ro" \
#     -e STREEMBIT_KEY_FILE=/etc/streembit/key/gateway.key -e STREEMBIT_KEY_PASSCODE \
#     -e STREEMBIT_DHT_ADVERTISED_HOST=gw.example.net -e STREEMBIT_DHT_SEEDS=seed1.example.net:4000 \
#     -e QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://db.example.net:5432/streembit \
#     -e QUARKUS_DATASOURCE_USERNAME=streembit -e QUARKUS_DATASOURCE_PASSWORD \
#     streembit-gateway:0.1.0
#
# Checked by GatewayImageTest (statically) and GatewayDeploymentIT (the copied files, run as a
# process) in src/gateway: COPY sources, ports, user, health check.
###
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.24

ENV LANGUAGE='en_US:en'

# Four layers, the libraries first, so that a change of the application rebuilds only the small ones.
COPY --chown=185 src/gateway/target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185 src/gateway/target/quarkus-app/*.jar /deployments/
COPY --chown=185 src/gateway/target/quarkus-app/app/ /deployments/app/
COPY --chown=185 src/gateway/target/quarkus-app/quarkus/ /deployments/quarkus/
# The shipped routes. In Kubernetes a ConfigMap holds them instead (STREEMBIT_ROUTES_DIR points at it).
COPY --chown=185 camel-routes/*.yaml /deployments/camel-routes/

# 8080: REST API, /q/health, /q/metrics (quarkus.http.port). 4100: the DHT node, TCP (streembit.dht.port).
EXPOSE 8080 4100
USER 185

# The DHT node listens on every address of the container; streembit.dht.advertised-host must
# still say which one peers and devices reach. quarkus.http.host is 0.0.0.0 in the jar already,
# so unlike Quarkus' template no -Dquarkus.http.host here (a system property would beat the
# QUARKUS_HTTP_HOST of an operator).
ENV STREEMBIT_DHT_HOST=0.0.0.0
ENV STREEMBIT_ROUTES_DIR=/deployments/camel-routes
ENV JAVA_OPTS_APPEND="-Djava.util.logging.manager=org.jboss.logmanager.LogManager"
# run-java.sh would start ParallelGC with footprint-first sizing (GCTimeRatio=4: up to a fifth of
# the time in GC, heap kept within 20 % of live data): at 4,000 batches/s that collector took 0.19
# of a core of the gateway's 0.93, against G1's 0.08 at JVM-default sizing (bin/bench-gateway
# --gateway-jvm-opts; docs/benchmarks.md). So G1, with the JVM's own ratios.
ENV GC_CONTAINER_OPTIONS="-XX:+UseG1GC" GC_MIN_HEAP_FREE_RATIO=40 GC_MAX_HEAP_FREE_RATIO=70 GC_TIME_RATIO=12
ENV JAVA_APP_JAR="/deployments/quarkus-run.jar"

# Liveness for Docker and Podman (Kubernetes ignores it and uses the probes of k8s/). bash
# built-ins only: the runtime image promises bash (run-java.sh is a bash script), not an HTTP client.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${QUARKUS_HTTP_PORT:-8080} && printf 'GET /q/health/live HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ \"$status\" = 200 ]"]

ENTRYPOINT [ "/opt/jboss/container/java/run/run-java.sh" ]
