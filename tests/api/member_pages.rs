//! The member pages in members' words: answers confirmed from what is stored, a
//! closed answer explained for a member, past meetings read in the past, error pages
//! titled as errors, and the secretariat sent to its own workspace.

use crate::helpers::{id, spawn_app};
use crate::visitor::{html, location, secretariat_visitor, signed_in};

#[tokio::test]
async fn an_answer_is_confirmed_once_from_what_was_stored() {
    let app = spawn_app().await;
    let sig = app.frd_sig().await;
    let meeting = app.meeting_in(&sig.frd, 7).await;
    app.invite_members(&meeting).await;
    let mut ben = signed_in(&app, &sig.ben).await;
    let path = format!("/meetings/{}", id(&meeting));
    let reply = ben
        .submit(
            &format!("{path}/answer"),
            &[("answer", "apologies"), ("reason", "On leave")],
        )
        .await
        .expect(303);
    assert_eq!(location(&reply), path, "the address carries no answer");
    let page = html(&ben.get(&path).await.expect(200));
    assert!(page.contains("Your apologies have been sent to the secretariat."));
    let again = html(&ben.get(&path).await.expect(200));
    assert!(
        !again.contains("Your apologies have been sent"),
        "shown once"
    );
    // An address claiming another answer confirms nothing.
    let forged = html(
        &ben.get(&format!("{path}?answered=accepted"))
            .await
            .expect(200),
    );
    assert!(!forged.contains("You are down as attending"));
}

#[tokio::test]
async fn a_member_answering_after_the_start_hears_what_that_means_for_them() {
    let app = spawn_app().await;
    let sig = app.frd_sig().await;
    let meeting = app.meeting_in(&sig.frd, -1).await;
    app.invite_members(&meeting).await;
    let mut ben = signed_in(&app, &sig.ben).await;
    let path = format!("/meetings/{}", id(&meeting));
    let reply = ben
        .submit(&format!("{path}/answer"), &[("answer", "accepted")])
        .await
        .expect(409);
    let page = html(&reply);
    assert!(page.contains("Answers closed when the meeting started"));
    assert!(
        !page.contains("record whether"),
        "not the secretariat's wording"
    );
    assert!(
        !page.contains("href=\"#answer\""),
        "no link to a form that is not there"
    );
    assert!(page.contains("href=\"#why-closed\""));
    assert!(page.contains("id=\"why-closed\""));
}

#[tokio::test]
async fn a_past_meeting_reads_in_the_past() {
    let app = spawn_app().await;
    let sig = app.frd_sig().await;
    let meeting = app.meeting_in(&sig.frd, -3).await;
    app.invite_members(&meeting).await;
    let mut ben = signed_in(&app, &sig.ben).await;
    let page = html(
        &ben.get(&format!("/meetings/{}", id(&meeting)))
            .await
            .expect(200),
    );
    assert!(page.contains("Who was invited"));
    assert!(!page.contains("Who is invited"));
    assert!(!page.contains("Add this meeting to your calendar"));
    assert!(!page.contains("Can you come?"));
    let future = app.meeting_in(&sig.frd, 3).await;
    app.invite_members(&future).await;
    let page = html(
        &ben.get(&format!("/meetings/{}", id(&future)))
            .await
            .expect(200),
    );
    assert!(page.contains("Who is invited"));
    assert!(page.contains("Add this meeting to your calendar"));
}

#[tokio::test]
async fn error_pages_are_titled_as_errors() {
    let app = spawn_app().await;
    let sig = app.frd_sig().await;
    let mut ben = signed_in(&app, &sig.ben).await;
    let missing = ben.get("/no-such-page").await.expect(404);
    assert!(html(&missing).contains("<title>Error: Page not found"));
    let refused = ben.get("/secretariat").await.expect(403);
    assert!(html(&refused).contains("<title>Error: This page is for the secretariat"));
}

#[tokio::test]
async fn the_secretariat_is_sent_from_member_pages_to_its_workspace() {
    let app = spawn_app().await;
    let sig = app.frd_sig().await;
    let meeting = app.meeting_in(&sig.frd, 7).await;
    let (mut rachel, _) = secretariat_visitor(&app, "Rachel Okonjo", "rachel@clinks.example").await;
    let reply = rachel.get("/meetings").await.expect(303);
    assert_eq!(location(&reply), "/secretariat/meetings");
    let reply = rachel
        .get(&format!("/meetings/{}", id(&meeting)))
        .await
        .expect(303);
    assert_eq!(
        location(&reply),
        format!("/secretariat/meetings/{}", id(&meeting))
    );
}
