//! Refuses request bodies larger than the service accepts, with 413, before anything
//! reads them. A declared `Content-Length` is checked at once; a body sent without one
//! (chunked) is read up to the limit and no further.

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
        match declared {
            Some(length) if length > self.max_bytes as u64 => return Err(self.too_large()),
            Some(_) => {}
            None => {
                if req
                    .headers()
                    .contains_key(poem::http::header::TRANSFER_ENCODING)
                {
                    let body = req.take_body();
                    match body.into_bytes_limit(self.max_bytes).await {
                        Ok(bytes) => req.set_body(bytes),
                        Err(poem::error::ReadBodyError::PayloadTooLarge) => {
                            return Err(self.too_large());
                        }
                        Err(err) => return Err(err.into()),
                    }
                }
            }
        }
        self.inner.call(req).await
    }
}
