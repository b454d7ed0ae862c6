package dev.switchboard.testkit;

import java.util.Objects;

/**
 * One tool call a scripted reply makes; a null {@code id} is filled in per wire ({@code call_<n>} or {@code toolu_<n>}).
 */
public record ToolCallSpec(String id, String name, String argumentsJson) {

    public ToolCallSpec {
        Objects.requireNonNull(name, "name");
        argumentsJson = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
    }
}
