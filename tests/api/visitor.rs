//! A browser without a browser: a visitor that keeps its cookies across requests,
//! for the page tests. `tests/browser.rs` drives the same pages in Chromium.

use poem::http::Method;
use serde_json::Value;

use crate::helpers::{Reply, TestApp};

/// A browser's memory: the cookies it holds.
#[derive(Default)]
pub struct Cookies(pub Vec<(String, String)>);

impl Cookies {
    pub fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn take(&mut self, reply: &Reply) {
        for value in reply.headers.get_all("set-cookie") {
            let value = value.to_str().unwrap();
            let pair = value.split(';').next().unwrap();
            let (name, content) = pair.split_once('=').unwrap();
            self.0.retain(|(k, _)| k != name);
            if !content.is_empty() && !value.contains("Max-Age=0") {
                self.0.push((name.to_owned(), content.to_owned()));
            }
        }
    }
}

pub struct Visitor<'a> {
    pub app: &'a TestApp,
    pub cookies: Cookies,
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: Cookies::default(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let cookie = self.cookies.header();
        let reply = self
            .app
            .send(
                Method::GET,
                path,
                None,
                None,
                &[("Cookie", &cookie), ("Accept", "text/html,*/*;q=0.8")],
            )
            .await;
        self.cookies.take(&reply);
        reply
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let mut request = self.app.client.post(path.to_owned());
        request = request
            .header("Cookie", self.cookies.header())
            .content_type("application/x-www-form-urlencoded")
            .body(body);
        let response = request.send().await.0;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().into_vec().await.unwrap();
        let reply = Reply {
            status,
            headers,
            body,
        };
        self.cookies.take(&reply);
        reply
    }

    /// Opens a sign-in link and presses "Sign in".
    pub async fn sign_in(&mut self, link: &str) -> Reply {
        let path = path_of(link);
        let page = self.get(&path).await.expect(200);
        let token = csrf_of(&page);
        self.post_form(&path, &[("csrf_token", &token)]).await
    }

    /// The CSRF token of the signed-in session, read from any page.
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/").await.expect(200);
        csrf_of(&page)
    }
}

pub fn html(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

pub fn csrf_of(reply: &Reply) -> String {
    let page = html(reply);
    let start = page
        .find("name=\"csrf_token\" value=\"")
        .expect("a form with a CSRF token")
        + "name=\"csrf_token\" value=\"".len();
    page[start..start + page[start..].find('"').unwrap()].to_owned()
}

pub fn path_of(link: &str) -> String {
    let after_scheme = link.split_once("://").unwrap().1;
    format!("/{}", after_scheme.split_once('/').unwrap().1)
}

impl<'a> Visitor<'a> {
    /// Posts a form with this session's CSRF token added.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.csrf().await;
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(path, &all).await
    }
}

/// Adds a person with secretariat access (as `minutebook secretariat add` does) and
/// signs them in.
pub async fn secretariat_visitor<'a>(
    app: &'a TestApp,
    name: &str,
    email: &str,
) -> (Visitor<'a>, Value) {
    let person = app
        .post(
            "/api/v1/people",
            serde_json::json!({"name": name, "email": email, "secretariat_access": true}),
        )
        .await
        .expect(201)
        .json();
    let visitor = signed_in(app, &person).await;
    (visitor, person)
}

/// Signs `person` in with a fresh sign-in link.
pub async fn signed_in<'a>(app: &'a TestApp, person: &Value) -> Visitor<'a> {
    let link = app
        .post(
            "/api/v1/sign-in-links",
            serde_json::json!({"person_id": person["id"]}),
        )
        .await
        .expect(201)
        .json();
    let mut visitor = Visitor::new(app);
    visitor
        .sign_in(link["url"].as_str().unwrap())
        .await
        .expect(303);
    visitor
}

/// The text of the error summary's links, in order.
pub fn error_summary(reply: &Reply) -> Vec<String> {
    let page = html(reply);
    let Some(start) = page.find("class=\"error-summary\"") else {
        return Vec::new();
    };
    let rest = &page[start..];
    let end = rest.find("</ul>").unwrap_or(rest.len());
    rest[..end]
        .split("<li><a href=\"#")
        .skip(1)
        .map(|item| {
            let text = item.split_once("\">").map(|(_, t)| t).unwrap_or("");
            text.split("</a>").next().unwrap_or("").to_owned()
        })
        .collect()
}

/// Where a redirect sends the browser.
pub fn location(reply: &Reply) -> String {
    reply.header("location").unwrap_or_default()
}
