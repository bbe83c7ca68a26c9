//! The secretariat's meeting pages: scheduling in local time, the overview, editing
//! with the version, and the meeting's life (cancel, postpone, mark held), as a
//! browser sends them.

use serde_json::{Value, json};

use crate::helpers::{TestApp, date_from_now, days_from_now, id, spawn_app};
use crate::visitor::{Visitor, error_summary, html, location, secretariat_visitor, signed_in};

fn meeting_id(path: &str) -> String {
    path.trim_start_matches("/secretariat/meetings/")
        .split('/')
        .next()
        .unwrap()
        .to_owned()
}

async fn meeting(app: &TestApp, id: &str) -> Value {
    app.get(&format!("/api/v1/meetings/{id}"))
        .await
        .expect(200)
        .json()["meeting"]
        .clone()
}

/// Schedules through the form and answers the new meeting's id.
async fn schedule(sec: &mut Visitor<'_>, group: &Value, fields: &[(&str, &str)]) -> String {
    let done = sec
        .submit(
            &format!("/secretariat/groups/{}/meetings/new", id(group)),
            fields,
        )
        .await
        .expect(303);
    meeting_id(&location(&done))
}

#[tokio::test]
async fn ten_oclock_london_time_is_stored_as_bst_in_july_and_gmt_in_december() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let rr3 = app.main_group().await;
    let page = html(
        &sec.get(&format!("/secretariat/groups/{}/meetings/new", id(&rr3)))
            .await
            .expect(200),
    );
    assert!(
        page.contains("<option value=\"Europe/London\" selected>"),
        "London by default"
    );

    let mut stored = Vec::new();
    for (day, title) in [
        ("2027-07-08", "Summer meeting"),
        ("2027-12-09", "Winter meeting"),
    ] {
        let id = schedule(
            &mut sec,
            &rr3,
            &[
                ("title", title),
                ("date", day),
                ("start_time", "10:00"),
                ("end_time", "12:30"),
                ("time_zone", "Europe/London"),
                ("mode", "online"),
                ("joining_link", "https://meet.example.org/rr3"),
            ],
        )
        .await;
        let page = html(
            &sec.get(&format!("/secretariat/meetings/{id}"))
                .await
                .expect(200),
        );
        stored.push((meeting(&app, &id).await, page));
    }
    assert_eq!(stored[0].0["starts_at"], "2027-07-08T09:00:00+00:00", "BST");
    assert_eq!(stored[0].0["ends_at"], "2027-07-08T11:30:00+00:00");
    assert_eq!(stored[1].0["starts_at"], "2027-12-09T10:00:00+00:00", "GMT");
    assert_eq!(stored[1].0["ends_at"], "2027-12-09T12:30:00+00:00");
    assert_eq!(stored[0].0["time_zone"], "Europe/London");
    assert!(
        stored[0]
            .1
            .contains("Thursday 8 July 2027, 10:00–12:30 BST")
    );
    assert!(
        stored[1]
            .1
            .contains("Thursday 9 December 2027, 10:00–12:30 GMT")
    );
    assert!(
        stored[0].1.contains("Meeting 1 was scheduled"),
        "the flash message"
    );

    // The edit form shows the local times again, not UTC.
    let edit = html(
        &sec.get(&format!("/secretariat/meetings/{}/edit", id(&stored[0].0)))
            .await
            .expect(200),
    );
    assert!(
        edit.contains("name=\"start_time\" value=\"10:00\""),
        "{edit}"
    );
    assert!(edit.contains("name=\"date\" value=\"2027-07-08\""));

    // The hour skipped when the clocks go forward does not exist.
    let before = app.counts().await;
    let refused = sec
        .submit(
            &format!("/secretariat/groups/{}/meetings/new", id(&rr3)),
            &[
                ("title", "Night owls"),
                ("date", "2027-03-28"),
                ("start_time", "01:15"),
                ("end_time", "03:00"),
                ("time_zone", "Europe/London"),
                ("mode", "online"),
            ],
        )
        .await
        .expect(422);
    assert!(error_summary(&refused)[0].contains("the clocks go forward"));
    assert_eq!(app.counts().await, before);
}

#[tokio::test]
async fn a_refused_schedule_shows_every_problem_keeps_the_values_and_changes_nothing() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let rr3 = app.main_group().await;
    let path = format!("/secretariat/groups/{}/meetings/new", id(&rr3));
    let before = app.counts().await;

    // Form-level problems: a missing date, a time that is not a time, no mode.
    let refused = sec
        .submit(
            &path,
            &[
                ("title", "Quarterly meeting"),
                ("date", ""),
                ("start_time", "ten"),
                ("end_time", "12:00"),
                ("time_zone", "Europe/London"),
                ("location", "102 Petty France"),
            ],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&refused),
        [
            "Enter the date of the meeting",
            "The start time must be a time, for example 10:00 or 2:30pm",
            "Choose how people will meet"
        ]
    );
    let page = html(&refused);
    assert!(
        page.contains("<title>Error: Schedule a meeting of"),
        "the title says so first"
    );
    assert!(page.contains("value=\"Quarterly meeting\""));
    assert!(page.contains("value=\"ten\""));
    assert!(page.contains("value=\"102 Petty France\""));

    // An empty form hears about every field at once, in the order of the page.
    let refused = sec
        .submit(&path, &[("time_zone", "Europe/London")])
        .await
        .expect(422);
    assert_eq!(
        error_summary(&refused),
        [
            "Enter the title or purpose of the meeting.",
            "Enter the date of the meeting",
            "Enter the time the meeting starts",
            "Enter the time the meeting ends",
            "Choose how people will meet"
        ]
    );

    // The service's problems land on the form's fields: the end before the start, a
    // link that is not a web address, no title.
    let refused = sec
        .submit(
            &path,
            &[
                ("title", " "),
                ("date", "2027-03-11"),
                ("start_time", "14:00"),
                ("end_time", "12:00"),
                ("time_zone", "Europe/London"),
                ("mode", "hybrid"),
                ("joining_link", "meet.example.org/rr3"),
            ],
        )
        .await
        .expect(422);
    let page = html(&refused);
    assert_eq!(
        error_summary(&refused).len(),
        3,
        "{:?}",
        error_summary(&refused)
    );
    assert!(page.contains("href=\"#end_time\">The meeting must end after it starts."));
    assert!(page.contains("href=\"#joining_link\""));
    assert!(page.contains("href=\"#title\""));
    assert!(page.contains("value=\"meet.example.org/rr3\""));
    assert!(page.contains("value=\"hybrid\" checked"));
    assert_eq!(app.counts().await, before);

    // A closed group takes no meetings: the refusal is on the form, with 409.
    app.post(
        &format!("/api/v1/groups/{}/close", id(&rr3)),
        json!({"reason": "Wound up"}),
    )
    .await
    .expect(200);
    let before = app.counts().await;
    let refused = sec
        .submit(
            &path,
            &[
                ("title", "One more"),
                ("date", "2027-03-11"),
                ("start_time", "10:00"),
                ("end_time", "12:00"),
                ("mode", "online"),
            ],
        )
        .await
        .expect(409);
    assert!(error_summary(&refused)[0].contains("closed"));
    assert_eq!(app.counts().await, before);
}

#[tokio::test]
async fn a_hybrid_meeting_with_its_room_but_no_link_yet_shows_the_link_to_be_confirmed() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let rr3 = app.main_group().await;
    let id = schedule(
        &mut sec,
        &rr3,
        &[
            ("title", "Quarterly meeting"),
            ("date", &date_from_now(30)),
            ("start_time", "10:00"),
            ("end_time", "12:00"),
            ("mode", "hybrid"),
            ("location", "102 Petty France, London"),
            ("joining_link", ""),
        ],
    )
    .await;
    let stored = meeting(&app, &id).await;
    assert_eq!(stored["joining_link"], Value::Null);
    let page = html(
        &sec.get(&format!("/secretariat/meetings/{id}"))
            .await
            .expect(200),
    );
    let link = &page[page.find("Joining link").unwrap()..];
    assert!(link[..200].contains("To be confirmed"), "{link}");
    assert!(page.contains("102 Petty France, London"));
    // Its header leads to the meeting's other pages.
    for tab in ["agenda", "register", "actions", "note"] {
        assert!(page.contains(&format!("href=\"/secretariat/meetings/{id}/{tab}\"")));
    }
    // The lists say so too.
    let list = html(&sec.get("/secretariat/meetings").await.expect(200));
    assert!(list.contains("Place to be confirmed"));

    // The link is added later by editing the meeting.
    let mut fields = edit_fields(&sec.get(&format!("/secretariat/meetings/{id}/edit")).await);
    set(&mut fields, "joining_link", "https://meet.example.org/rr3");
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    sec.submit(&format!("/secretariat/meetings/{id}/edit"), &pairs)
        .await
        .expect(303);
    let stored = meeting(&app, &id).await;
    assert_eq!(stored["joining_link"], "https://meet.example.org/rr3");
    assert_eq!(stored["schedule_sequence"], 1, "a new place is a move");
    let day = date_from_now(30);
    let hour = if is_summer(&day) { "09" } else { "10" };
    assert_eq!(
        stored["starts_at"],
        format!("{day}T{hour}:00:00+00:00"),
        "the times read back from the form are the same moment"
    );
}

/// Whether London keeps summer time on `day` (its 10:00 is 09:00 UTC).
fn is_summer(day: &str) -> bool {
    use chrono::{Offset, TimeZone};
    let day: chrono::NaiveDate = day.parse().unwrap();
    let at = chrono_tz::Europe::London
        .from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
        .unwrap();
    at.offset().fix().local_minus_utc() != 0
}

/// The fields of the edit form on a page, as it would post them.
fn edit_fields(reply: &crate::helpers::Reply) -> Vec<(String, String)> {
    let page = html(reply);
    let mut fields = Vec::new();
    for name in [
        "version",
        "title",
        "date",
        "start_time",
        "end_time",
        "location",
        "joining_link",
    ] {
        let marker = format!("name=\"{name}\" value=\"");
        let start = page.find(&marker).unwrap_or_else(|| panic!("{name}")) + marker.len();
        let value = &page[start..start + page[start..].find('"').unwrap()];
        fields.push((
            name.to_owned(),
            value.replace("&#x2F;", "/").replace("&#x3A;", ":"),
        ));
    }
    let zone_at = page.find("name=\"time_zone\"").unwrap();
    let zone = &page[zone_at..];
    let chosen = &zone[..zone.find("\" selected>").unwrap()];
    let zone = chosen
        .rsplit("value=\"")
        .next()
        .unwrap()
        .replace("&#x2F;", "/");
    fields.push(("time_zone".into(), zone));
    let mode_at = page.find("\" checked>").expect("a mode is checked");
    let mode = page[..mode_at]
        .rsplit("value=\"")
        .next()
        .unwrap()
        .to_owned();
    fields.push(("mode".into(), mode));
    fields
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    for (k, v) in fields.iter_mut() {
        if k == name {
            *v = value.to_owned();
        }
    }
}

#[tokio::test]
async fn a_stale_edit_shows_the_conflict_panel_and_changes_nothing() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let rr3 = app.main_group().await;
    let m = app
        .meeting(&rr3, "2027-01-14T10:00:00Z", "2027-01-14T12:00:00Z")
        .await;
    let edit = format!("/secretariat/meetings/{}/edit", id(&m));
    let mut fields = edit_fields(&sec.get(&edit).await.expect(200));
    assert_eq!(fields[0], ("version".to_owned(), "1".to_owned()));

    // Someone else renames it meanwhile.
    app.patch(
        &format!("/api/v1/meetings/{}", id(&m)),
        json!({"title": "Their title"}),
    )
    .await
    .expect(200);
    set(&mut fields, "title", "My title");
    set(&mut fields, "start_time", "14:00");
    set(&mut fields, "end_time", "16:00");
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let before = app.counts().await;
    let stale = sec.submit(&edit, &pairs).await.expect(409);
    let page = html(&stale);
    assert!(page.contains("Someone else changed this while you were editing"));
    assert!(page.contains("Their title"));
    assert!(page.contains("value=\"My title\""));
    assert!(page.contains("value=\"14:00\""));
    assert!(page.contains("name=\"version\" value=\"2\""));
    assert_eq!(app.counts().await, before);
    let stored = meeting(&app, &id(&m)).await;
    assert_eq!(stored["title"], "Their title");
    assert_eq!(stored["starts_at"], "2027-01-14T10:00:00+00:00");
    assert_eq!(stored["version"], 2);

    // Saving again, knowingly, reschedules to 14:00 GMT.
    set(&mut fields, "version", "2");
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    sec.submit(&edit, &pairs).await.expect(303);
    let stored = meeting(&app, &id(&m)).await;
    assert_eq!(stored["title"], "My title");
    assert_eq!(stored["starts_at"], "2027-01-14T14:00:00+00:00");
}

#[tokio::test]
async fn lifecycle_refusals_show_on_the_forms_with_409_and_change_nothing() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let rr3 = app.main_group().await;
    let upcoming = app.meeting_in(&rr3, 20).await;
    let base = format!("/secretariat/meetings/{}", id(&upcoming));
    let overview = html(&sec.get(&base).await.expect(200));
    assert!(
        overview.contains("has not started yet"),
        "why it cannot be marked held"
    );
    assert!(!overview.contains(&format!("{base}/mark-held\"")));

    // Marking held before the start is refused on the form.
    let before = app.counts().await;
    let refused = sec
        .submit(&format!("{base}/mark-held"), &[("version", "1")])
        .await
        .expect(409);
    assert_eq!(
        error_summary(&refused),
        ["The meeting has not started yet, so it cannot be marked held."]
    );
    assert!(html(&refused).contains("Mark the meeting as held"));
    assert_eq!(app.counts().await, before);

    // Cancelled, it can be neither cancelled again, moved nor held.
    sec.submit(
        &format!("{base}/cancel"),
        &[("version", "1"), ("reason", "Not quorate")],
    )
    .await
    .expect(303);
    let stored = meeting(&app, &id(&upcoming)).await;
    assert_eq!(stored["status"], "cancelled");
    assert_eq!(stored["status_reason"], "Not quorate");
    let overview = html(&sec.get(&base).await.expect(200));
    assert!(overview.contains("Not quorate"));
    assert!(
        !overview.contains(&format!("{base}/cancel\"")),
        "no button to cancel again"
    );

    let before = app.counts().await;
    let refused = sec
        .submit(
            &format!("{base}/cancel"),
            &[("version", "2"), ("reason", "Again")],
        )
        .await
        .expect(409);
    assert!(error_summary(&refused)[0].contains("already cancelled"));
    assert!(
        html(&refused).contains(">Again</textarea>"),
        "the reason is kept"
    );
    let refused = sec
        .submit(
            &format!("{base}/postpone"),
            &[
                ("version", "2"),
                ("to", "new"),
                ("date", &date_from_now(40)),
                ("start_time", "10:00"),
                ("end_time", "12:00"),
            ],
        )
        .await
        .expect(409);
    assert!(error_summary(&refused)[0].contains("cancelled"));
    let refused = sec
        .submit(
            &format!("{base}/edit"),
            &[
                ("version", "2"),
                ("title", "Renamed"),
                ("date", &date_from_now(20)),
                ("start_time", "10:00"),
                ("end_time", "12:00"),
                ("time_zone", "Europe/London"),
                ("mode", "online"),
            ],
        )
        .await
        .expect(409);
    assert!(error_summary(&refused)[0].contains("cancelled"));
    assert_eq!(app.counts().await, before);
    assert_eq!(meeting(&app, &id(&upcoming)).await["version"], 2);

    // A meeting that has started is marked held, and then sends the secretariat to
    // its register.
    let started = app.meeting_in(&rr3, -1).await;
    let done = sec
        .submit(
            &format!("/secretariat/meetings/{}/mark-held", id(&started)),
            &[("version", "1")],
        )
        .await
        .expect(303);
    assert_eq!(
        location(&done),
        format!("/secretariat/meetings/{}/register", id(&started))
    );
    assert_eq!(meeting(&app, &id(&started)).await["status"], "held");
    // A stale step is a conflict, not a silent success.
    let stale = sec
        .submit(
            &format!("/secretariat/meetings/{}/cancel", id(&started)),
            &[("version", "1")],
        )
        .await
        .expect(409);
    assert!(html(&stale).contains("Someone else changed this"));
}

#[tokio::test]
async fn a_meeting_is_postponed_to_a_later_meeting_or_to_new_times() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let rr3 = app.main_group().await;
    let first = app.meeting_in(&rr3, 10).await;
    let later = app.meeting_in(&rr3, 40).await;
    let earlier = app.meeting_in(&rr3, 5).await;
    let path = format!("/secretariat/meetings/{}/postpone", id(&first));
    let page = html(&sec.get(&path).await.expect(200));
    assert!(
        page.contains(&format!("value=\"{}\"", id(&later))),
        "a later meeting is offered"
    );
    assert!(
        !page.contains(&format!("value=\"{}\"", id(&earlier))),
        "an earlier one is not"
    );

    // Nothing chosen, then a new date without times: refused on the form.
    let before = app.counts().await;
    let refused = sec
        .submit(
            &path,
            &[("version", "1"), ("to", "meeting"), ("to_meeting_id", "")],
        )
        .await
        .expect(422);
    assert_eq!(
        error_summary(&refused),
        ["Choose the meeting it is postponed to"]
    );
    let refused = sec
        .submit(
            &path,
            &[
                ("version", "1"),
                ("to", "new"),
                ("date", &date_from_now(30)),
            ],
        )
        .await
        .expect(422);
    assert_eq!(error_summary(&refused).len(), 2);
    assert!(html(&refused).contains(&format!("value=\"{}\"", date_from_now(30))));
    // The earlier meeting, posted anyway, is refused by the service.
    let refused = sec
        .submit(
            &path,
            &[
                ("version", "1"),
                ("to", "meeting"),
                ("to_meeting_id", &id(&earlier)),
            ],
        )
        .await
        .expect(422);
    assert!(error_summary(&refused)[0].contains("later meeting"));
    assert_eq!(app.counts().await, before);

    let done = sec
        .submit(
            &path,
            &[
                ("version", "1"),
                ("to", "meeting"),
                ("to_meeting_id", &id(&later)),
                ("reason", "Chair unwell"),
            ],
        )
        .await
        .expect(303);
    assert_eq!(
        location(&done),
        format!("/secretariat/meetings/{}", id(&later))
    );
    let stored = meeting(&app, &id(&first)).await;
    assert_eq!(stored["status"], "postponed");
    assert_eq!(stored["postponed_to_id"], id(&later).as_str());
    let page = html(&sec.get(&location(&done)).await.expect(200));
    assert!(page.contains("which was postponed"));

    // To new times: a new meeting at 14:00 local time on the day chosen.
    let day = date_from_now(60);
    let done = sec
        .submit(
            &format!("/secretariat/meetings/{}/postpone", id(&earlier)),
            &[
                ("version", "1"),
                ("to", "new"),
                ("date", &day),
                ("start_time", "14:00"),
                ("end_time", "15:30"),
            ],
        )
        .await
        .expect(303);
    let replacement = meeting(&app, &meeting_id(&location(&done))).await;
    assert_eq!(replacement["number"], 4);
    let hour = if is_summer(&day) { "13" } else { "14" };
    assert_eq!(
        replacement["starts_at"],
        format!("{day}T{hour}:00:00+00:00")
    );
}

#[tokio::test]
async fn the_list_shows_upcoming_and_past_meetings_filtered_by_group() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let rr3 = app.main_group().await;
    let frd = app.sig(&rr3, "Future Regime Design SIG", "FRD").await;
    app.meeting(&rr3, &days_from_now(-20, 10), &days_from_now(-20, 12))
        .await;
    app.meeting(&frd, &days_from_now(15, 10), &days_from_now(15, 12))
        .await;
    app.meeting(&rr3, &days_from_now(25, 10), &days_from_now(25, 12))
        .await;

    let page = html(&sec.get("/secretariat/meetings").await.expect(200));
    let upcoming =
        &page[page.find("Upcoming meetings").unwrap()..page.find("Past meetings").unwrap()];
    let past = &page[page.find("Past meetings").unwrap()..];
    assert!(upcoming.find("FRD meeting 1").unwrap() < upcoming.find("RR3 meeting 2").unwrap());
    assert!(past.contains("RR3 meeting 1"));
    assert!(!past.contains("meeting 2"));

    let page = html(
        &sec.get(&format!("/secretariat/meetings?group={}", id(&frd)))
            .await
            .expect(200),
    );
    assert!(page.contains("FRD meeting 1"));
    assert!(!page.contains("RR3 meeting 1") && !page.contains("RR3 meeting 2"));
    assert!(page.contains(&format!(
        "href=\"/secretariat/groups/{}/meetings/new\"",
        id(&frd)
    )));
    // The group's page lists its meetings with the button to schedule another.
    let page = html(
        &sec.get(&format!("/secretariat/groups/{}", id(&rr3)))
            .await
            .expect(200),
    );
    assert!(page.contains("RR3 meeting 1") && page.contains("RR3 meeting 2"));
    assert!(page.contains("Schedule a meeting"));
}

#[tokio::test]
async fn a_member_is_refused_every_meeting_page_and_form() {
    let app = spawn_app().await;
    let (mut sec, _) = secretariat_visitor(&app, "Sam Reid", "sam@clinks.example").await;
    let frd = app.frd_sig().await;
    let m = app.meeting_in(&frd.frd, -1).await;
    let base = format!("/secretariat/meetings/{}", id(&m));
    let new = format!("/secretariat/groups/{}/meetings/new", id(&frd.frd));
    let pages = [
        "/secretariat/meetings".to_owned(),
        new.clone(),
        base.clone(),
        format!("{base}/edit"),
        format!("{base}/cancel"),
        format!("{base}/postpone"),
        format!("{base}/mark-held"),
    ];
    for page in &pages {
        sec.get(page).await.expect(200);
    }

    let mut ben = signed_in(&app, &frd.ben).await;
    let before = app.counts().await;
    for page in &pages {
        let refused = ben.get(page).await.expect(403);
        assert!(
            html(&refused).contains("This page is for the secretariat"),
            "{page}"
        );
    }
    let fields = [
        ("version", "1"),
        ("title", "Ben's meeting"),
        ("date", "2027-01-14"),
        ("start_time", "10:00"),
        ("end_time", "11:00"),
        ("mode", "online"),
        ("to", "new"),
        ("reason", "Because"),
    ];
    for form in [&pages[1], &pages[3], &pages[4], &pages[5], &pages[6]] {
        ben.submit(form, &fields).await.expect(403);
    }
    assert_eq!(app.counts().await, before);
    let stored = meeting(&app, &id(&m)).await;
    assert_eq!(stored["version"], 1);
    assert_eq!(stored["status"], "scheduled");
}
