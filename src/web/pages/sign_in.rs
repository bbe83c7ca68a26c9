//! Signing in with a link from the secretariat, and signing out.
//!
//! Opening a link only shows a "Sign in" button: mail scanners and link previews
//! fetch addresses they see, and must not use a member's link up. Pressing the
//! button posts the form, which consumes the link and starts the session.

use askama::Template;
use poem::http::{StatusCode, header};
use poem::web::{Data, Path};
use poem::{Body, Request, Response, handler};

use crate::auth::generate_secret;
use crate::service::sign_in::{self, LinkRefusal};
use crate::startup::AppState;
use crate::web::session::{FormFields, SESSION_COOKIE, SIGN_IN_COOKIE, cookie, set_cookie};
use crate::web::{Chrome, Section, csrf_refused, error_page, message, render, see_other, visitor};

/// How long the sign-in page's form stays good, in seconds.
const SIGN_IN_FORM_SECONDS: i64 = 60 * 60;

#[derive(Template)]
#[template(path = "sign_in_help.html")]
struct HelpPage {
    chrome: Chrome,
}

/// Where signed-out visitors are sent: how signing in works.
#[handler]
pub async fn help(req: &Request, state: Data<&AppState>) -> Response {
    let session = match visitor(req, &state).await {
        Ok(session) => session,
        Err(page) => return page,
    };
    render(
        StatusCode::OK,
        &HelpPage {
            chrome: Chrome::new("Sign in", session.as_ref(), Section::Other),
        },
    )
}

#[derive(Template)]
#[template(path = "sign_in_link.html")]
struct LinkPage {
    chrome: Chrome,
    action: String,
    form_token: String,
}

fn refused(refusal: LinkRefusal) -> Response {
    let (status, heading, why) = match refusal {
        LinkRefusal::Used => (
            StatusCode::GONE,
            "This sign-in link has already been used",
            "Each link works once. If you signed in on another device or browser, use that one.",
        ),
        LinkRefusal::Expired => (
            StatusCode::GONE,
            "This sign-in link has expired",
            "Links work for a limited time, to keep your meetings private.",
        ),
        LinkRefusal::Revoked => (
            StatusCode::GONE,
            "This sign-in link has been withdrawn",
            "The secretariat has withdrawn it.",
        ),
        LinkRefusal::Unknown => (
            StatusCode::FORBIDDEN,
            "This sign-in link is not recognised",
            "Check that you copied the whole link from the email.",
        ),
    };
    message(
        status,
        None,
        heading,
        &[why, "Ask the secretariat to send you a new sign-in link."],
        Some(("/", "Go to the published summary notes")),
    )
}

/// The page a sign-in link opens: a button that signs in.
#[handler]
pub async fn link_page(
    req: &Request,
    state: Data<&AppState>,
    Path(token): Path<String>,
) -> Response {
    match sign_in::check_link(&state.db, &token).await {
        Err(err) => error_page(None, err),
        Ok(Err(refusal)) => refused(refusal),
        Ok(Ok(())) => {
            let form_token = generate_secret();
            let mut page = render(
                StatusCode::OK,
                &LinkPage {
                    chrome: Chrome::new("Sign in", None, Section::Other),
                    action: req.uri().path().to_owned(),
                    form_token: form_token.clone(),
                },
            );
            let cookie = set_cookie(
                req,
                SIGN_IN_COOKIE,
                &form_token,
                "/sign-in",
                "Strict",
                Some(SIGN_IN_FORM_SECONDS),
            );
            if let Ok(value) = cookie.parse() {
                page.headers_mut().append(header::SET_COOKIE, value);
            }
            page
        }
    }
}

/// "Sign in": uses the link up, starts the session and sets its cookie.
#[handler]
pub async fn use_link(
    req: &Request,
    state: Data<&AppState>,
    Path(token): Path<String>,
    body: Body,
) -> Response {
    let form = FormFields::parse(&body.into_vec().await.unwrap_or_default());
    let paired = cookie(req, SIGN_IN_COOKIE).is_some_and(|expected| form.has_csrf(&expected));
    if !paired {
        return csrf_refused(None);
    }
    match sign_in::consume(&state.db, &token).await {
        Err(err) => error_page(None, err),
        Ok(Err(refusal)) => refused(refusal),
        Ok(Ok(started)) => {
            let home = if started.session.role == "secretariat" {
                "/secretariat"
            } else {
                "/meetings"
            };
            let mut response = see_other(home);
            let max_age = (started.session.expires_at - started.session.created_at).num_seconds();
            for value in [
                set_cookie(
                    req,
                    SESSION_COOKIE,
                    &started.secret,
                    "/",
                    "Lax",
                    Some(max_age),
                ),
                set_cookie(req, SIGN_IN_COOKIE, "", "/sign-in", "Strict", Some(0)),
            ] {
                if let Ok(value) = value.parse() {
                    response.headers_mut().append(header::SET_COOKIE, value);
                }
            }
            response
        }
    }
}

/// "Sign out": ends the session in the database and removes the cookie.
#[handler]
pub async fn sign_out(req: &Request, state: Data<&AppState>, body: Body) -> Response {
    let session = match visitor(req, &state).await {
        Ok(Some(session)) => session,
        Ok(None) => return see_other("/"),
        Err(page) => return page,
    };
    let form = FormFields::parse(&body.into_vec().await.unwrap_or_default());
    if !form.has_csrf(&session.csrf_token) {
        return csrf_refused(Some(&session));
    }
    if let Err(err) = sign_in::end(&state.db, &session).await {
        return error_page(Some(&session), err);
    }
    let mut response = message(
        StatusCode::OK,
        None,
        "You have signed out",
        &["To sign in again, use a new sign-in link from the secretariat."],
        Some(("/", "Go to the published summary notes")),
    );
    if let Ok(value) = set_cookie(req, SESSION_COOKIE, "", "/", "Lax", Some(0)).parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
