//! Reading a meeting again after a change. Answers to repeated reads are kept while
//! the database is unchanged; these tests read first (so that an answer is kept) and
//! then check that no change, whoever made it, is hidden by a kept answer.

use serde_json::{Value, json};

use crate::helpers::*;

struct Setting {
    ben: Value,
    membership: Value,
    meeting: Value,
    item: Value,
    /// Ben's member token and its id.
    token: String,
    token_id: String,
}

async fn setting(app: &TestApp) -> Setting {
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let ben = app
        .person("Ben Okafor", "ben@nacro.example", &nacro["id"])
        .await;
    let rr3 = app.main_group().await;
    let frd = app.sig(&rr3, "Future Regime Design SIG", "FRD").await;
    let membership = app.member(&frd, &ben, "member").await;
    let meeting = app.meeting_in(&frd, 10).await;
    let item = app
        .agenda_item(&meeting, "Community sentences", "members")
        .await;
    app.invite_members(&meeting).await;
    let issued = app
        .post(
            "/api/v1/tokens",
            json!({"name": "Ben (member)", "role": "member", "person_id": ben["id"]}),
        )
        .await
        .expect(201)
        .json();
    Setting {
        ben,
        membership,
        meeting,
        item,
        token: issued["token"].as_str().unwrap().to_owned(),
        token_id: issued["details"]["id"].as_str().unwrap().to_owned(),
    }
}

fn meeting_path(s: &Setting) -> String {
    format!("/api/v1/meetings/{}", id(&s.meeting))
}

/// Reads the meeting twice as `token`, checks both answers agree, returns the body.
async fn read_twice(app: &TestApp, token: &str, path: &str) -> Value {
    let first = app.get_as(token, path).await.expect(200);
    let second = app.get_as(token, path).await.expect(200);
    assert_eq!(first.body, second.body);
    assert_eq!(first.header("etag"), second.header("etag"));
    assert_eq!(
        second.header("content-type").as_deref(),
        Some("application/json; charset=utf-8")
    );
    second.json()
}

fn titles(detail: &Value) -> Vec<String> {
    items(&detail["agenda"])
        .iter()
        .map(|item| item["title"].as_str().unwrap().to_owned())
        .collect()
}

fn status_of(detail: &Value, person: &Value) -> String {
    items(&detail["attendance"])
        .into_iter()
        .find(|line| line["person_id"] == person["id"])
        .map(|line| line["status"].as_str().unwrap().to_owned())
        .expect("on the register")
}

#[tokio::test]
async fn a_meeting_read_again_shows_every_change_made_since() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let path = meeting_path(&s);

    let before = read_twice(&app, &s.token, &path).await;
    assert_eq!(titles(&before), ["Community sentences"]);
    read_twice(&app, &app.secretariat, &path).await;

    // The secretariat renames the item: both views show it at once.
    app.patch(
        &format!("/api/v1/agenda-items/{}", id(&s.item)),
        json!({"title": "Community sentences and licence conditions"}),
    )
    .await
    .expect(200);
    for token in [s.token.as_str(), app.secretariat.as_str()] {
        let after = app.get_as(token, &path).await.expect(200).json();
        assert_eq!(
            titles(&after),
            ["Community sentences and licence conditions"]
        );
    }

    // Ben answers his invitation: his next read and the secretariat's show it.
    let line = items(&before["attendance"])
        .into_iter()
        .find(|line| line["person_id"] == s.ben["id"])
        .unwrap();
    app.patch_as(
        &s.token,
        &format!("/api/v1/attendance/{}", id(&line)),
        json!({"status": "apologies", "reason": "Court hearing"}),
    )
    .await
    .expect(200);
    let his = app.get_as(&s.token, &path).await.expect(200).json();
    assert_eq!(status_of(&his, &s.ben), "apologies");
    let theirs = app.get_as(&app.secretariat, &path).await.expect(200).json();
    assert_eq!(status_of(&theirs, &s.ben), "apologies");

    // Rescheduling changes the meeting's version, and so its ETag.
    let etag = app.get(&path).await.expect(200).header("etag").unwrap();
    app.patch_if_match(
        &format!("/api/v1/meetings/{}", id(&s.meeting)),
        json!({"title": "Future regime design: community sentences"}),
        &etag,
    )
    .await
    .expect(200);
    let renamed = app.get(&path).await.expect(200);
    assert_ne!(renamed.header("etag").unwrap(), etag);
    assert_eq!(
        renamed.json()["meeting"]["title"],
        "Future regime design: community sentences"
    );
}

#[tokio::test]
async fn each_caller_reads_their_own_view_of_the_same_meeting() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let path = meeting_path(&s);
    app.agenda_item(&s.meeting, "Secretariat planning", "secretariat")
        .await;

    // The secretariat's view is read (and kept) first; the member still gets the
    // members' view, without emails or the secretariat's item.
    let theirs = read_twice(&app, &app.secretariat, &path).await;
    assert_eq!(
        titles(&theirs),
        ["Community sentences", "Secretariat planning"]
    );
    assert!(
        items(&theirs["attendance"])
            .iter()
            .all(|line| line["email"].is_string())
    );
    let his = read_twice(&app, &s.token, &path).await;
    assert_eq!(titles(&his), ["Community sentences"]);
}

#[tokio::test]
async fn a_revoked_token_is_refused_right_after_a_read() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let path = meeting_path(&s);
    read_twice(&app, &s.token, &path).await;

    app.delete(&format!("/api/v1/tokens/{}", s.token_id))
        .await
        .expect(204);
    app.get_as(&s.token, &path).await.problem(401);
}

#[tokio::test]
async fn a_member_whose_term_ends_can_no_longer_read_the_meeting() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let path = meeting_path(&s);
    read_twice(&app, &s.token, &path).await;

    app.patch(
        &format!("/api/v1/memberships/{}", id(&s.membership)),
        json!({"ends_on": date_from_now(-1)}),
    )
    .await
    .expect(200);
    app.get_as(&s.token, &path).await.problem(403);
}

#[tokio::test]
async fn a_change_written_to_the_database_by_another_program_is_seen() {
    let app = spawn_app().await;
    // Another program can share only a SQLite file; on PostgreSQL nothing is kept.
    let Some(file) = app.sqlite_file() else {
        return;
    };
    let s = setting(&app).await;
    let path = meeting_path(&s);
    read_twice(&app, &s.token, &path).await;

    // A connection minutebook did not open, as the `sqlite3` shell would be.
    let outside = rusqlite::Connection::open(&file).expect("open the database file");
    outside
        .busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let changed = outside
        .execute(
            "UPDATE agenda_items SET title = 'Renamed elsewhere' WHERE title = 'Community sentences'",
            [],
        )
        .expect("update the agenda item");
    assert_eq!(changed, 1);
    drop(outside);

    // Other programs' commits are looked for at most a millisecond apart.
    tokio::time::sleep(minutebook::service::changes::OUTSIDE_CHECK_INTERVAL * 5).await;
    let after = app.get_as(&s.token, &path).await.expect(200).json();
    assert_eq!(titles(&after), ["Renamed elsewhere"]);
}
