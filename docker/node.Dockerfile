####
# A Streembit DHT node (a seed) or a fleet of simulated devices: the `streembit` command line
# (src/cli, one shaded jar) on the same base as the gateway, user 185, started by run-java.sh.
# The container's arguments are the CLI's (docs/cli.md):
#
#   ./mvnw -B -ntp -pl src/cli -am package -DskipTests
#   docker build -f docker/node.Dockerfile -t streembit-node:0.1.0 .
#   docker run --rm -p 4000:4000 -v seed-data:/data -e STREEMBIT_PASSCODE streembit-node:0.1.0 \
#     node --port 4000 --host 0.0.0.0 --advertise seed1.example.net --key /data/node.key --data /data/records
#   docker run --rm -v sim:/sim -v "$PWD/gateway.offer:/etc/streembit/offer/gateway.offer:ro" \
#     -e STREEMBIT_PASSCODE streembit-node:0.1.0 simulate --gateway-offer /etc/streembit/offer/gateway.offer \
#     --seed seed1.example.net:4000 --devices 10 --host 192.0.2.7 --keys /sim/keys
#
# Checked by NodeImageTest in src/gateway and by DeploymentArgsTest in src/cli.
###
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.24

ENV LANGUAGE='en_US:en'

COPY --chown=185 src/cli/target/streembit-cli.jar /deployments/streembit-cli.jar

# The DHT port the seeds of k8s/ listen on (`node --port`; the CLI itself has no default).
EXPOSE 4000
USER 185

ENV JAVA_APP_JAR="/deployments/streembit-cli.jar"

# A node has no HTTP endpoint and a simulator listens on no fixed port: Kubernetes checks the
# seeds' TCP port itself (k8s/seed-statefulset.yaml).
HEALTHCHECK NONE

ENTRYPOINT [ "/opt/jboss/container/java/run/run-java.sh" ]
CMD [ "--help" ]
