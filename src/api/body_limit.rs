//! Guards request bodies: refuses those larger than the service accepts with 413
//! before anything parses them (a declared `Content-Length` is checked at once; a body
//! sent without one is read up to the limit and no further), and when a body does not
//! fit its operation's schema, answers 422 naming each field at fault.

use poem::http::StatusCode;
use poem::{Endpoint, Middleware, Request, Result};

use super::error::{problem, problem_response};

pub struct BodyLimit {
    max_bytes: usize,
}

impl BodyLimit {
    pub fn new(max_bytes: usize) -> Self {
        Self { max_bytes }
    }
}

impl<E: Endpoint> Middleware<E> for BodyLimit {
    type Output = BodyLimitEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        BodyLimitEndpoint {
            inner,
            max_bytes: self.max_bytes,
        }
    }
}

pub struct BodyLimitEndpoint<E> {
    inner: E,
    max_bytes: usize,
}

impl<E: Endpoint> BodyLimitEndpoint<E> {
    fn too_large(&self) -> poem::Error {
        poem::Error::from_response(problem_response(&problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than {} bytes", self.max_bytes),
            vec![],
        )))
    }
}

impl<E: Endpoint> Endpoint for BodyLimitEndpoint<E> {
    type Output = E::Output;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let declared = req
            .headers()
            .get(poem::http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if declared.is_some_and(|length| length > self.max_bytes as u64) {
            return Err(self.too_large());
        }
        // The body is read here, within the limit, and handed on; the same bytes serve
        // to name the fields at fault if the operation cannot parse them.
        let bytes = match req.take_body().into_bytes_limit(self.max_bytes).await {
            Ok(bytes) => bytes,
            Err(poem::error::ReadBodyError::PayloadTooLarge) => return Err(self.too_large()),
            Err(err) => return Err(err.into()),
        };
        req.set_body(bytes.clone());
        match self.inner.call(req).await {
            Err(err) if err.is::<poem_openapi::error::ParseRequestPayloadError>() => {
                Err(with_field_errors(err, &bytes))
            }
            other => other,
        }
    }
}

/// Turns a schema mismatch into a 422 that names the fields at fault, when the
/// operation's schema says which they are.
fn with_field_errors(err: poem::Error, body: &[u8]) -> poem::Error {
    let Some(operation) = err.data::<poem_openapi::OperationId>() else {
        return err;
    };
    let errors = super::schema_errors::field_errors(operation.0, body);
    if errors.is_empty() {
        return err;
    }
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    poem::Error::from_response(problem_response(&problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!("some values do not fit: {}", fields.join(", ")),
        errors,
    )))
}
