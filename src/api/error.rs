//! Problem details (RFC 9457): the one shape every error takes, whether it comes from
//! a service, from a request that could not be parsed, or from an unknown route.

use poem::Response;
use poem::http::StatusCode;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};

use crate::Error;
use crate::domain::FieldError;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A machine-readable description of what went wrong (RFC 9457).
#[derive(Debug, Clone, Object)]
pub struct Problem {
    /// Names the kind of problem; the same kind always has the same `type`.
    #[oai(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request, in words a person can act on.
    pub detail: String,
    /// For invalid values: one entry per field at fault.
    #[oai(skip_serializing_if_is_empty)]
    pub errors: Vec<ProblemField>,
}

/// One field's problem.
#[derive(Debug, Clone, Object)]
pub struct ProblemField {
    /// The field, as named in the request (`starts_at`, `items[2].agenda_item_id`).
    pub field: String,
    /// What is wrong with its value.
    pub message: String,
}

impl From<FieldError> for ProblemField {
    fn from(error: FieldError) -> Self {
        Self {
            field: error.field,
            message: error.message,
        }
    }
}

/// Every error an operation can answer with.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// The request could not be read: malformed JSON, a parameter of the wrong type.
    #[oai(status = 400, content_type = "application/problem+json")]
    BadRequest(Json<Problem>),
    /// No bearer token, or one that is unknown or revoked.
    #[oai(status = 401, content_type = "application/problem+json")]
    Unauthorized(Json<Problem>),
    /// The token's role does not allow this.
    #[oai(status = 403, content_type = "application/problem+json")]
    Forbidden(Json<Problem>),
    /// Nothing with that id exists, or the caller may not see it.
    #[oai(status = 404, content_type = "application/problem+json")]
    NotFound(Json<Problem>),
    /// It existed but has been withdrawn for good (a revoked calendar feed).
    #[oai(status = 410, content_type = "application/problem+json")]
    Gone(Json<Problem>),
    /// The current state does not allow this (for example editing a cancelled meeting).
    #[oai(status = 409, content_type = "application/problem+json")]
    Conflict(Json<Problem>),
    /// `If-Match` names a version that is no longer current: fetch, merge, try again.
    #[oai(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Json<Problem>),
    /// The request body is larger than the service accepts.
    #[oai(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Json<Problem>),
    /// The request is well-formed but some values are not acceptable; `errors` lists them.
    #[oai(status = 422, content_type = "application/problem+json")]
    UnprocessableEntity(Json<Problem>),
    /// Something failed inside the service; the details are in its logs.
    #[oai(status = 500, content_type = "application/problem+json")]
    Internal(Json<Problem>),
}

/// Builds the problem for `status` with a `detail` and optional field errors.
pub fn problem(status: StatusCode, detail: impl Into<String>, errors: Vec<FieldError>) -> Problem {
    let (slug, title) = match status.as_u16() {
        400 => ("bad-request", "Bad request"),
        401 => ("unauthorized", "Authentication required"),
        403 => ("forbidden", "Not allowed"),
        404 => ("not-found", "Not found"),
        405 => ("method-not-allowed", "Method not allowed"),
        409 => ("conflict", "Conflicts with the current state"),
        410 => ("gone", "No longer available"),
        411 => ("length-required", "Length required"),
        412 => ("stale", "Changed since you read it"),
        413 => ("too-large", "Request too large"),
        415 => ("unsupported-media-type", "Unsupported media type"),
        422 => ("invalid", "Invalid values"),
        _ if status.is_server_error() => ("internal", "Internal error"),
        _ => ("error", "Request failed"),
    };
    Problem {
        kind: format!("/api/problems#{slug}"),
        title: title.into(),
        status: status.as_u16(),
        detail: detail.into(),
        errors: errors.into_iter().map(ProblemField::from).collect(),
    }
}

impl ApiError {
    fn from_problem(problem: Problem) -> Self {
        let body = Json(problem.clone());
        match problem.status {
            400 => Self::BadRequest(body),
            401 => Self::Unauthorized(body),
            403 => Self::Forbidden(body),
            404 => Self::NotFound(body),
            409 => Self::Conflict(body),
            410 => Self::Gone(body),
            412 => Self::PreconditionFailed(body),
            413 => Self::PayloadTooLarge(body),
            422 => Self::UnprocessableEntity(body),
            _ => Self::Internal(body),
        }
    }
}

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        let problem = match err {
            Error::Unauthorized(detail) => problem(StatusCode::UNAUTHORIZED, detail, vec![]),
            Error::Forbidden(detail) => problem(StatusCode::FORBIDDEN, detail, vec![]),
            err @ Error::NotFound { .. } => problem(StatusCode::NOT_FOUND, err.to_string(), vec![]),
            Error::Conflict(detail) => problem(StatusCode::CONFLICT, detail, vec![]),
            Error::Gone(detail) => problem(StatusCode::GONE, detail, vec![]),
            err @ Error::Stale { .. } => problem(
                StatusCode::PRECONDITION_FAILED,
                format!(
                    "{err}; fetch it again, reapply your change and send the new version in If-Match"
                ),
                vec![],
            ),
            Error::Invalid(errors) => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                describe_fields(&errors),
                errors,
            ),
            Error::BadRequest(detail) => problem(StatusCode::BAD_REQUEST, detail, vec![]),
            Error::Database(source) => {
                tracing::error!(error = %source, debug = ?source, "database error");
                problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the request could not be completed; it has been logged",
                    vec![],
                )
            }
            Error::Unexpected(source) => {
                tracing::error!(error = ?source, "unexpected error");
                problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the request could not be completed; it has been logged",
                    vec![],
                )
            }
        };
        Self::from_problem(problem)
    }
}

fn describe_fields(errors: &[FieldError]) -> String {
    let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    format!("some values are not valid: {}", names.join(", "))
}

/// The problem+json response for any error that did not come from an operation's own
/// answer: unparseable bodies, failed validators, missing tokens, unknown routes.
/// Errors that already carry a response (an operation's `ApiError`) pass unchanged.
pub async fn render_any_error(err: poem::Error) -> Response {
    if err.is_from_response() {
        return err.into_response();
    }
    let status = err.status();
    let message = err.to_string();
    let problem = if err.is::<poem_openapi::error::AuthorizationError>() {
        problem(
            StatusCode::UNAUTHORIZED,
            "send a token in the Authorization header: `Authorization: Bearer <token>`",
            vec![],
        )
    } else if let Some(payload) =
        err.downcast_ref::<poem_openapi::error::ParseRequestPayloadError>()
    {
        payload_problem(&payload.reason)
    } else if let Some(param) = err.downcast_ref::<poem_openapi::error::ParseParamError>() {
        problem(
            StatusCode::BAD_REQUEST,
            format!(
                "the parameter `{}` is not valid: {}",
                param.name, param.reason
            ),
            vec![FieldError::new(param.name, param.reason.clone())],
        )
    } else if let Some(path) = err.downcast_ref::<poem_openapi::error::ParsePathError>() {
        // A path id that is not a UUID cannot name anything that exists.
        problem(
            StatusCode::NOT_FOUND,
            format!("the address names an id that is not valid: {}", path.reason),
            vec![],
        )
    } else if status == StatusCode::NOT_FOUND {
        problem(status, "there is nothing at this address", vec![])
    } else if status.is_server_error() {
        tracing::error!(error = %message, "unhandled error");
        problem(
            status,
            "the request could not be completed; it has been logged",
            vec![],
        )
    } else {
        problem(status, message, vec![])
    };
    problem_response(&problem)
}

/// Tells malformed JSON (400) from well-formed JSON whose values do not fit the
/// schema (422), and names the field when the parser said which one it was.
fn payload_problem(reason: &str) -> Problem {
    // The JSON reader's complaints about the text itself always give a position
    // ("… at line 1 column 16"); schema mismatches never do.
    if reason.contains(" at line ") && reason.contains(" column ") {
        return problem(
            StatusCode::BAD_REQUEST,
            format!("the request body is not valid JSON: {reason}"),
            vec![],
        );
    }
    let message = reason.trim_end_matches('.').to_owned();
    let field = reason
        .split_once("field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(name, _)| name.to_owned())
        .unwrap_or_else(|| "body".to_owned());
    problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("the request body does not fit the schema: {message}"),
        vec![FieldError::new(field, message)],
    )
}

/// Writes a problem as a response with the problem+json media type.
pub fn problem_response(problem: &Problem) -> Response {
    let body = poem_openapi::types::ToJSON::to_json_string(problem);
    Response::builder()
        .status(StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .content_type(PROBLEM_JSON)
        .body(body)
}

pub type ApiResult<T> = std::result::Result<T, ApiError>;
