package io.streembit.gateway.testing;

import static io.restassured.RestAssured.given;

/** Reads one figure from the gateway's Prometheus endpoint, as a monitoring system would. */
public final class Metrics {
    private Metrics() {}

    /** The value of the sample {@code name{labels}} (labels as Prometheus renders them), 0 when absent. */
    public static double value(String name, String labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        String prefix = labels == null || labels.isEmpty() ? name + " " : name + "{" + labels + "} ";
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim());
            }
            if (labels != null && !labels.isEmpty() && line.startsWith(name + "{") && line.contains(labels)) {
                return Double.parseDouble(
                        line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        return 0;
    }
}
