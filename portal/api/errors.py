from flask import jsonify


def api_error(status: int, code: str, message: str, **details):
    """A JSON error `{"error": {"code", "message", ...}}` with its HTTP status."""
    body = {"error": {"code": code, "message": message, **details}}
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="portal"'
    return response
