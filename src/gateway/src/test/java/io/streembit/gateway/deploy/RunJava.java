package io.streembit.gateway.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The collector options the base image's run-java.sh (ubi9/openjdk-17-runtime) puts on the java
 * command line, from the image's environment: {@code GC_CONTAINER_OPTIONS} (default
 * {@code -XX:+UseParallelGC}) and the heap-sizing ratios with their documented defaults. Tests
 * and benchmarks start the gateway with these, so that they run it as the image does. Not
 * checked against the image itself here (no container engine): against its documentation and
 * the command line it prints (rh-openjdk/redhat-openjdk-containers#483).
 */
public final class RunJava {
    private RunJava() {}

    /** The options for the image built from {@code dockerfile}. */
    public static List<String> gcOptions(Path dockerfile) {
        return gcOptions(Dockerfile.read(dockerfile).env());
    }

    static List<String> gcOptions(Map<String, String> env) {
        List<String> gc = Dockerfile.words(env.getOrDefault("GC_CONTAINER_OPTIONS", "-XX:+UseParallelGC"));
        return java.util.stream.Stream.concat(
                        gc.stream(),
                        java.util.stream.Stream.of(
                                "-XX:MinHeapFreeRatio=" + env.getOrDefault("GC_MIN_HEAP_FREE_RATIO", "10"),
                                "-XX:MaxHeapFreeRatio=" + env.getOrDefault("GC_MAX_HEAP_FREE_RATIO", "20"),
                                "-XX:GCTimeRatio=" + env.getOrDefault("GC_TIME_RATIO", "4"),
                                "-XX:AdaptiveSizePolicyWeight="
                                        + env.getOrDefault("GC_ADAPTIVE_SIZE_POLICY_WEIGHT", "90")))
                .toList();
    }
}
