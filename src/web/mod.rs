//! The web pages for members, the public and the secretariat: server-rendered HTML
//! that works without JavaScript, over the same service functions as the API.
//!
//! Every page builds its [`Caller`](crate::auth::Caller) from the browser's session
//! ([`session`]), so the services apply their rules unchanged; handlers only gather,
//! parse form fields and shape views. Templates live in `templates/` (askama, with
//! HTML escaping on), the one stylesheet is compiled in, and nothing is fetched from
//! elsewhere, so the pages work offline.

pub mod flash;
pub mod form;
pub mod note_rendition;
pub mod pages;
pub mod session;
pub mod view;

use askama::Template;
use poem::http::{HeaderValue, StatusCode, header};
use poem::{Endpoint, EndpointExt, IntoResponse, Request, Response, Route, get, handler, post};

use crate::service::sign_in::WebSession;
use crate::startup::AppState;

/// The secretariat's address for help, shown in every page's footer and on the
/// pages where a person can go no further alone. Set once at start from the
/// configuration (`--contact-email`), the same for every instance.
pub static CONTACT_EMAIL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The stylesheet, served at `/static/minutebook.css`.
pub const STYLESHEET: &str = include_str!("minutebook.css");

/// Adds the pages to `route`, each under its own path; any other address outside
/// the API answers an HTML "page not found".
pub fn routes(route: Route) -> Route {
    pages::workspace::routes(route)
        .at("/", get(pages::public::home).with(SecureHeaders))
        .at(
            "/static/minutebook.css",
            get(stylesheet).with(SecureHeaders),
        )
        .at("/sign-in", get(pages::sign_in::help).with(SecureHeaders))
        .at(
            "/sign-in/:token",
            get(pages::sign_in::link_page)
                .post(pages::sign_in::use_link)
                .with(SecureHeaders),
        )
        .at(
            "/sign-out",
            post(pages::sign_in::sign_out).with(SecureHeaders),
        )
        .at("/meetings", get(pages::meetings::list).with(SecureHeaders))
        .at(
            "/meetings/:id",
            get(pages::meetings::show).with(SecureHeaders),
        )
        .at(
            "/meetings/:id/answer",
            post(pages::meetings::answer).with(SecureHeaders),
        )
        .at(
            "/meetings/:id/note",
            get(pages::note_comments::note_page).with(SecureHeaders),
        )
        .at(
            "/meetings/:id/note/document",
            get(pages::note_comments::draft_document).with(SecureHeaders),
        )
        .at(
            "/meetings/:id/note/comments",
            post(pages::note_comments::comment_create).with(SecureHeaders),
        )
        .at(
            "/meetings/:id/note/comments/:comment/withdraw",
            post(pages::note_comments::comment_withdraw).with(SecureHeaders),
        )
        .at(
            "/meetings/:id/invite.ics",
            get(pages::downloads::meeting_invite).with(SecureHeaders),
        )
        .at(
            "/meetings/:id/summary-note/document",
            get(pages::downloads::note_preview).with(SecureHeaders),
        )
        .at(
            "/notes/:id/versions/:number/document",
            get(pages::downloads::note_document).with(SecureHeaders),
        )
        .at(
            "/calendar-feed",
            post(pages::downloads::feed_create).with(SecureHeaders),
        )
        .at(
            "/calendar-feed/revoke",
            post(pages::downloads::feed_revoke).with(SecureHeaders),
        )
        .at("/actions", get(pages::actions::list).with(SecureHeaders))
        .at(
            "/actions/:id",
            post(pages::actions::update).with(SecureHeaders),
        )
        .at(
            "/secretariat",
            get(pages::secretariat::dashboard).with(SecureHeaders),
        )
}

/// Answers addresses that match nothing with an HTML "page not found" when a browser
/// asks (it accepts `text/html`) outside `/api/`; API clients keep the problem+json
/// answer.
pub struct HtmlNotFound;

impl<E: Endpoint> poem::Middleware<E> for HtmlNotFound {
    type Output = HtmlNotFoundEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        HtmlNotFoundEndpoint(inner)
    }
}

pub struct HtmlNotFoundEndpoint<E>(E);

impl<E: Endpoint> Endpoint for HtmlNotFoundEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        let wants_html = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
        let is_page = wants_html && !req.uri().path().starts_with("/api/");
        // A personal calendar feed's address is opened in a browser now and then (to
        // check it, or from an old email): a stopped one answers with a page there.
        let is_feed_in_browser =
            wants_html && req.uri().path().starts_with("/api/v1/calendar-feeds/");
        let answer = self.0.call(req).await.map(IntoResponse::into_response);
        let status = match &answer {
            Ok(response) => response.status(),
            Err(err) => err.status(),
        };
        match answer {
            _ if is_feed_in_browser
                && matches!(status, StatusCode::GONE | StatusCode::NOT_FOUND) =>
            {
                let mut page = message(
                    status,
                    None,
                    "This calendar feed has stopped",
                    &[
                        "The address was replaced or stopped, so it no longer lists any meetings.",
                        "Sign in and set up a new calendar feed from any meeting page, or ask the secretariat for one.",
                    ],
                    Some(("/sign-in", "Sign in")),
                );
                secure_headers(&mut page);
                Ok(page)
            }
            Err(err) if is_page && err.is::<poem::error::NotFoundError>() => {
                let mut response = not_found_page(None);
                secure_headers(&mut response);
                Ok(response)
            }
            Err(err) if is_page && err.is::<poem::error::MethodNotAllowedError>() => {
                let mut response = message(
                    StatusCode::METHOD_NOT_ALLOWED,
                    None,
                    "Page not found",
                    &["This address does not take that kind of request."],
                    Some(("/", "Go to the start page")),
                );
                secure_headers(&mut response);
                Ok(response)
            }
            other => other,
        }
    }
}

/// Adds [`secure_headers`] to every page.
pub struct SecureHeaders;

impl<E: Endpoint> poem::Middleware<E> for SecureHeaders {
    type Output = SecureHeadersEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        SecureHeadersEndpoint(inner)
    }
}

pub struct SecureHeadersEndpoint<E>(E);

impl<E: Endpoint> Endpoint for SecureHeadersEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        let flash = flash::carried(&req).then(|| session::came_over_https(&req));
        let mut response = self.0.call(req).await?.into_response();
        secure_headers(&mut response);
        if let Some(over_https) = flash {
            flash::clear_after_showing(over_https, &mut response);
        }
        Ok(response)
    }
}

/// Headers that keep pages in their lane: no framing, no scripts or outside
/// resources at all, no `Referer` carrying a sign-in link elsewhere, and no copies of
/// a member's pages kept in shared caches.
fn secure_headers(response: &mut Response) {
    let headers = response.headers_mut();
    let set = |headers: &mut poem::http::HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    );
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "referrer-policy", "no-referrer");
    set(headers, "x-frame-options", "DENY");
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, "cache-control", "no-store");
    }
}

#[handler]
fn stylesheet() -> Response {
    Response::builder()
        .content_type("text/css; charset=utf-8")
        .header(header::CACHE_CONTROL, "public, max-age=3600")
        .body(STYLESHEET)
}

/// Which part of the site a page belongs to, for the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Notes,
    Meetings,
    Actions,
    Secretariat,
    Groups,
    Directory,
    Access,
    Audit,
    Other,
}

/// What every page's frame needs: its title, who is signed in, and the CSRF token
/// for the sign-out form.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub title: String,
    pub signed_in: Option<String>,
    pub csrf: String,
    pub secretariat: bool,
    pub section: Section,
    /// A message from the form that led here ("Nacro was added"), shown once.
    pub flash: Option<String>,
}

impl Chrome {
    pub fn new(title: impl Into<String>, session: Option<&WebSession>, section: Section) -> Self {
        Self {
            title: title.into(),
            signed_in: session.map(|s| s.display_name.clone()),
            csrf: session.map(|s| s.csrf_token.clone()).unwrap_or_default(),
            secretariat: session.is_some_and(|s| s.caller.is_secretariat()),
            section,
            flash: None,
        }
    }

    /// Shows the message the request carries from the form that led here.
    pub fn with_flash(mut self, req: &Request) -> Self {
        self.flash = flash::message(req);
        self
    }

    /// The address people write to for help, when one is configured.
    pub fn contact(&self) -> Option<&'static str> {
        CONTACT_EMAIL.get().map(String::as_str)
    }

    /// `aria-current="page"` for the navigation link of this page's section.
    pub fn current(&self, section: &str) -> &'static str {
        let this = match self.section {
            Section::Notes => "notes",
            Section::Meetings => "meetings",
            Section::Actions => "actions",
            Section::Secretariat => "secretariat",
            Section::Groups => "groups",
            Section::Directory => "directory",
            Section::Access => "access",
            Section::Audit => "audit",
            Section::Other => "",
        };
        if this == section { "page" } else { "false" }
    }
}

/// A rendered page with its status.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Response::builder()
            .status(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(err) => {
            tracing::error!(error = %err, "a page could not be rendered");
            Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .content_type("text/plain; charset=utf-8")
                .body("Sorry, there is a problem with the service. Please try again later.")
        }
    }
}

/// A page that only says something: an error, a refusal, a confirmation.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}

pub fn message(
    status: StatusCode,
    session: Option<&WebSession>,
    heading: &str,
    paragraphs: &[&str],
    link: Option<(&str, &str)>,
) -> Response {
    // An error page's title starts "Error:", so that it is the first thing a
    // screen reader says and what a browser tab shows.
    let title = if status.is_client_error() || status.is_server_error() {
        format!("Error: {heading}")
    } else {
        heading.to_owned()
    };
    render(
        status,
        &MessagePage {
            chrome: Chrome::new(title, session, Section::Other),
            heading: heading.to_owned(),
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
            link: link.map(|(href, text)| (href.to_owned(), text.to_owned())),
        },
    )
}

/// The page for an error a service answered, in words for a member; internals go
/// to the log only.
pub fn error_page(session: Option<&WebSession>, err: crate::Error) -> Response {
    use crate::Error;
    match err {
        Error::NotFound { .. } => not_found_page(session),
        Error::Forbidden(_) | Error::Unauthorized(_) => message(
            StatusCode::FORBIDDEN,
            session,
            "You cannot see this page",
            &[
                "It belongs to a group you are not a current member of, or to someone else.",
                "If you think you should see it, contact the secretariat.",
            ],
            Some(("/meetings", "Go to your meetings")),
        ),
        // A refusal of the request is the person's to hear about, in words, with
        // its own status; only failures of the service itself are a 500.
        Error::Conflict(refusal) => message(
            StatusCode::CONFLICT,
            session,
            "This could not be done",
            &[&view::sentence(&refusal), "Nothing was changed."],
            None,
        ),
        Error::Stale { .. } => message(
            StatusCode::CONFLICT,
            session,
            "Someone else changed this meanwhile",
            &["Nothing was changed. Go back, reload the page to see their change, and try again."],
            None,
        ),
        Error::Gone(why) => message(
            StatusCode::GONE,
            session,
            "This is no longer available",
            &[&view::sentence(&why)],
            Some(("/", "Go to the start page")),
        ),
        Error::Invalid(fields) => {
            let said: Vec<String> = fields
                .iter()
                .map(|f| view::sentence(&format!("{} {}", f.field.replace('_', " "), f.message)))
                .collect();
            let mut paragraphs: Vec<&str> = said.iter().map(String::as_str).collect();
            paragraphs.push("Nothing was changed.");
            message(
                StatusCode::UNPROCESSABLE_ENTITY,
                session,
                "Some values were not accepted",
                &paragraphs,
                None,
            )
        }
        Error::BadRequest(why) => message(
            StatusCode::BAD_REQUEST,
            session,
            "This request could not be understood",
            &[&view::sentence(&why)],
            Some(("/", "Go to the start page")),
        ),
        Error::Database(_) | Error::Unexpected(_) => {
            tracing::error!(error = ?err, "a page failed");
            server_error_page(session)
        }
    }
}

pub fn server_error_page(session: Option<&WebSession>) -> Response {
    message(
        StatusCode::INTERNAL_SERVER_ERROR,
        session,
        "Sorry, there is a problem with the service",
        &["Please try again later. The problem has been logged."],
        None,
    )
}

pub fn not_found_page(session: Option<&WebSession>) -> Response {
    message(
        StatusCode::NOT_FOUND,
        session,
        "Page not found",
        &[
            "If you typed the web address, check it is correct. If you followed a link from the secretariat, ask them for a new one.",
        ],
        Some(("/", "Go to the start page")),
    )
}

/// The answer to a form posted without this session's CSRF token.
pub fn csrf_refused(session: Option<&WebSession>) -> Response {
    message(
        StatusCode::FORBIDDEN,
        session,
        "This form could not be accepted",
        &[
            "It did not carry the security code of your signed-in session, so nothing was changed.",
            "Go back, reload the page and try again.",
        ],
        None,
    )
}

/// A `303 See Other` to `location`: where a form goes after it has done its work.
pub fn see_other(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, location)
        .finish()
}

/// Where a signed-out visitor is sent from a member page.
pub fn must_sign_in() -> Response {
    see_other("/sign-in")
}

/// The session of this request, or the page to show when it cannot be read.
pub async fn visitor(req: &Request, state: &AppState) -> Result<Option<WebSession>, Response> {
    session::current(req, state)
        .await
        .map_err(|err| error_page(None, err))
}

/// A form posted from a signed-in page: the session and the form's fields once its
/// CSRF token has been checked, or the page to answer with instead (sign in, or the
/// refusal). Every form of a signed-in page goes through here.
pub async fn signed_in_form(
    req: &Request,
    state: &AppState,
    body: poem::Body,
) -> Result<(WebSession, session::FormFields), Response> {
    let Some(session) = visitor(req, state).await? else {
        return Err(must_sign_in());
    };
    let form = session::FormFields::parse(&body.into_vec().await.unwrap_or_default());
    if !form.has_csrf(&session.csrf_token) {
        return Err(csrf_refused(Some(&session)));
    }
    Ok((session, form))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn a_refused_request_is_told_in_words_with_its_own_status_not_as_a_failure() {
        let status = |err| error_page(None, err).status();
        assert_eq!(
            status(Error::Conflict("the meeting was cancelled".into())),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status(Error::Stale {
                entity: "meeting",
                current: 3
            }),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status(Error::invalid("reason", "must not be empty")),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(status(Error::Gone("stopped".into())), StatusCode::GONE);
        assert_eq!(
            status(Error::BadRequest("not a date".into())),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status(Error::Unexpected(anyhow::anyhow!("disk full"))),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
