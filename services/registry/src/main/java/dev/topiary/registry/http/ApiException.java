package dev.topiary.registry.http;

/**
 * A request the API cannot answer, with the status and a message naming what was wrong; the
 * response body is {@code {"error": message, "parameter": name}} (parameter only for a bad one).
 */
final class ApiException extends RuntimeException {
    final int status;
    final String parameter;

    private ApiException(int status, String message, String parameter) {
        super(message);
        this.status = status;
        this.parameter = parameter;
    }

    static ApiException badParameter(String parameter, String message) {
        return new ApiException(400, message, parameter);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message, null);
    }

    static ApiException failed(int status, String message) {
        return new ApiException(status, message, null);
    }
}
