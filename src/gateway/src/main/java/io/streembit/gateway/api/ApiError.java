package io.streembit.gateway.api;

/** Every error the API answers: a stable code to switch on, and a message for a person. */
public record ApiError(String error, String message) {}
