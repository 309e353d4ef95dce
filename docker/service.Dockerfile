# One image recipe for every service: docker-compose passes SERVICE (catalog-service,
# payment-service, order-service, gateway). It takes the runnable jar that ./mvnw package built on
# the host, so it builds with no registry access beyond the base image, which is a build argument:
# the public Temurin JRE by default, or shopmesh-base/jre17 from docker/build-base-images.sh.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
ARG SERVICE
WORKDIR /app
COPY ${SERVICE}/target/${SERVICE}.jar /app/app.jar
# Bind every interface inside the container; advertise the container's own address in discovery.
ENV SHOPMESH_HOST=0.0.0.0 \
    SHOPMESH_GRPC_PORT=50051
EXPOSE 50051
# The data directory (SHOPMESH_DATA_DIR, data/ under /app) belongs to the service's user: a
# "docker run" of one image, with no Redis or PostgreSQL, keeps its registry and embedded database there.
RUN mkdir /app/data && chown 10001:10001 /app/data
# Non-root; a numeric id needs no user database in the base image.
USER 10001:10001
# Heap sized from the container's memory limit; an OutOfMemoryError ends the process so that the
# restart policy replaces it rather than leaving it half alive. java is PID 1, so SIGTERM from
# "docker compose down" reaches the shutdown hook: withdraw from discovery, drain, close.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-jar", "/app/app.jar"]
