//! Calendar files as a calendar client reads them: every check parses the .ics with
//! the `icalendar` crate's parser rather than matching strings alone.

use poem::http::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, id, spawn_app};

/// A property: name, parameters (key, value) and value.
type Prop = (String, Vec<(String, String)>, String);

/// A parsed component: its name, properties (name, params, value) and children.
#[derive(Debug)]
struct Comp {
    name: String,
    props: Vec<Prop>,
    children: Vec<Comp>,
}

impl Comp {
    fn value(&self, name: &str) -> &str {
        self.props
            .iter()
            .find(|p| p.0 == name)
            .map(|p| p.2.as_str())
            .unwrap_or_else(|| panic!("{} has no {name}", self.name))
    }
    fn param(&self, name: &str, param: &str) -> Option<&str> {
        let prop = self.props.iter().find(|p| p.0 == name)?;
        prop.1
            .iter()
            .find(|(k, _)| k == param)
            .map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<&Prop> {
        self.props.iter().filter(|p| p.0 == name).collect()
    }
    fn children(&self, name: &str) -> Vec<&Comp> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn event_with_uid(&self, uid: &str) -> &Comp {
        self.children("VEVENT")
            .into_iter()
            .find(|e| e.value("UID") == uid)
            .unwrap_or_else(|| panic!("no VEVENT with UID {uid}"))
    }
}

fn own(c: &icalendar::parser::Component<'_>) -> Comp {
    Comp {
        name: c.name.as_str().to_owned(),
        props: own_props(&c.properties),
        children: c.components.iter().map(own).collect(),
    }
}

fn own_props(props: &[icalendar::parser::Property<'_>]) -> Vec<Prop> {
    props
        .iter()
        .map(|p| {
            (
                p.name.as_str().to_owned(),
                p.params
                    .iter()
                    .map(|q| {
                        (
                            q.key.as_str().to_owned(),
                            q.val
                                .as_ref()
                                .map(|v| v.as_str().trim_matches('"').to_owned())
                                .unwrap_or_default(),
                        )
                    })
                    .collect(),
                p.val.as_str().to_owned(),
            )
        })
        .collect()
}

/// Checks the wire format (CRLF, 75-octet lines), then parses the VCALENDAR.
fn parse(body: &[u8]) -> Comp {
    let text = std::str::from_utf8(body).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "lines end with CRLF");
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "no bare line feeds");
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }
    let unfolded = icalendar::parser::unfold(text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("the file parses");
    Comp {
        name: "VCALENDAR".into(),
        props: own_props(&calendar.properties),
        children: calendar.components.iter().map(own).collect(),
    }
}

/// A secretariat organisation with an email address (the organizer), a group with
/// a chair and a member, and an online meeting.
struct Setting {
    group: Value,
    chair: Value,
    member: Value,
    meeting: Value,
}

async fn setting(app: &TestApp) -> Setting {
    let clinks = app.organisation("Clinks", "secretariat").await;
    app.person("Dev Patel", "dev@clinks.example", &clinks["id"])
        .await;
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let chair = app
        .person("Ana Costa", "ana@nacro.example", &nacro["id"])
        .await;
    let member = app
        .person("Ben Okafor", "ben@nacro.example", &nacro["id"])
        .await;
    let rr3 = app.main_group().await;
    let group = app.sig(&rr3, "Future Regime Design SIG", "FRD").await;
    app.member(&group, &chair, "chair").await;
    app.member(&group, &member, "member").await;
    let meeting = app
        .meeting(&group, "2026-03-12T10:00:00Z", "2026-03-12T12:00:00Z")
        .await;
    Setting {
        group,
        chair,
        member,
        meeting,
    }
}

async fn invite(app: &TestApp, meeting: &str, token: &str) -> Comp {
    let reply = app
        .send(
            Method::GET,
            &format!("/api/v1/meetings/{meeting}/invite.ics"),
            Some(token),
            None,
            &[],
        )
        .await
        .expect(200);
    parse(&reply.body)
}

async fn patch_meeting(app: &TestApp, meeting: &str, body: Value) -> Value {
    app.patch(&format!("/api/v1/meetings/{meeting}"), body)
        .await
        .expect(200)
        .json()
}

#[tokio::test]
async fn an_invitation_keeps_its_uid_raises_its_sequence_and_marks_a_cancellation() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let mid = id(&s.meeting);
    app.post(
        &format!("/api/v1/meetings/{mid}/agenda-items"),
        json!({"title": "Sentencing, release and recall; a view from HMPPS", "kind": "presentation", "visibility": "public"}),
    )
    .await
    .expect(201);

    let reply = app
        .get(&format!("/api/v1/meetings/{mid}/invite.ics"))
        .await
        .expect(200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8; method=REQUEST")
    );
    assert!(
        reply
            .header("content-disposition")
            .unwrap()
            .contains("filename=\"2026-03-12-frd-meeting-1.ics\"")
    );
    let etag = reply.header("etag").expect("an ETag");
    let again = app
        .send(
            Method::GET,
            &format!("/api/v1/meetings/{mid}/invite.ics"),
            Some(&app.secretariat),
            None,
            &[("If-None-Match", &etag)],
        )
        .await
        .expect(304);
    assert_eq!(
        again.header("etag"),
        Some(etag.clone()),
        "same bytes, same tag"
    );

    let calendar = parse(&reply.body);
    assert_eq!(calendar.value("METHOD"), "REQUEST");
    let event = &calendar.children("VEVENT")[0];
    let uid = format!("{mid}@minutebook");
    assert_eq!(event.value("UID"), uid);
    assert_eq!(event.value("SEQUENCE"), "0");
    assert_eq!(event.value("STATUS"), "CONFIRMED");
    assert!(
        event.value("SUMMARY").contains("Future Regime Design SIG"),
        "the title names the group"
    );
    assert!(
        event.value("DESCRIPTION").contains("Sentencing"),
        "the description carries the agenda"
    );
    assert_eq!(event.value("LOCATION"), "https://meet.example.org/frd");
    assert_eq!(event.value("ORGANIZER"), "mailto:dev@clinks.example");
    assert_eq!(event.param("ORGANIZER", "CN"), Some("Clinks"));

    // Rescheduling and changing the place each raise the sequence; the UID stays.
    patch_meeting(
        &app,
        &mid,
        json!({"starts_at": "2026-03-19T10:00:00Z", "ends_at": "2026-03-19T12:00:00Z"}),
    )
    .await;
    let moved = invite(&app, &mid, &app.secretariat).await;
    let moved_event = &moved.children("VEVENT")[0];
    assert_eq!(moved_event.value("UID"), uid);
    assert_eq!(moved_event.value("SEQUENCE"), "1");
    assert_eq!(moved_event.value("DTSTART"), "20260319T100000");
    patch_meeting(
        &app,
        &mid,
        json!({"mode": "hybrid", "location": "102 Petty France, London"}),
    )
    .await;
    let raw = app
        .get(&format!("/api/v1/meetings/{mid}/invite.ics"))
        .await
        .expect(200);
    assert!(
        String::from_utf8_lossy(&raw.body).contains("LOCATION:102 Petty France\\, London"),
        "TEXT values escape commas on the wire"
    );
    let placed = invite(&app, &mid, &app.secretariat).await;
    assert_eq!(placed.children("VEVENT")[0].value("SEQUENCE"), "2");
    assert_eq!(
        placed.children("VEVENT")[0].value("LOCATION"),
        "102 Petty France, London",
        "the comma is escaped and reads back"
    );

    // A title change alone is not a reschedule.
    patch_meeting(
        &app,
        &mid,
        json!({"title": "Future regime design: sentencing"}),
    )
    .await;
    let retitled = invite(&app, &mid, &app.secretariat).await;
    assert_eq!(retitled.children("VEVENT")[0].value("SEQUENCE"), "2");

    app.post(
        &format!("/api/v1/meetings/{mid}/cancel"),
        json!({"reason": "Ministers' statement"}),
    )
    .await
    .expect(200);
    let reply = app
        .get(&format!("/api/v1/meetings/{mid}/invite.ics"))
        .await
        .expect(200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8; method=CANCEL")
    );
    let cancelled = parse(&reply.body);
    assert_eq!(cancelled.value("METHOD"), "CANCEL");
    let event = &cancelled.children("VEVENT")[0];
    assert_eq!(event.value("UID"), uid);
    assert_eq!(event.value("STATUS"), "CANCELLED");
    assert_eq!(event.value("SEQUENCE"), "3");
}

#[tokio::test]
async fn london_times_read_right_in_gmt_and_bst_on_both_sides_of_each_clock_change() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    // 10:00 London every time: GMT is UTC+0, BST UTC+1. The clocks go forward on
    // 29 March 2026 and back on 25 October 2026.
    let cases = [
        ("2026-03-26T10:00:00Z", "20260326T100000"), // Thursday before: GMT
        ("2026-03-30T09:00:00Z", "20260330T100000"), // Monday after: BST
        ("2026-10-23T09:00:00Z", "20261023T100000"), // Friday before: BST
        ("2026-10-26T10:00:00Z", "20261026T100000"), // Monday after: GMT
    ];
    let mut uids = Vec::new();
    for (starts, _) in cases {
        let ends = starts.replace("T10:", "T11:").replace("T09:", "T10:");
        let meeting = app.meeting(&s.group, starts, &ends).await;
        uids.push(format!("{}@minutebook", id(&meeting)));
    }
    let reply = app
        .get(&format!("/api/v1/groups/{}/calendar.ics", id(&s.group)))
        .await
        .expect(200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    assert!(
        reply
            .header("content-disposition")
            .unwrap()
            .contains("frd-meetings.ics")
    );
    let feed = parse(&reply.body);
    assert_eq!(feed.value("METHOD"), "PUBLISH");
    assert_eq!(feed.children("VEVENT").len(), 5);
    let zones = feed.children("VTIMEZONE");
    assert_eq!(zones.len(), 1);
    assert_eq!(zones[0].value("TZID"), "Europe/London");
    let offsets: Vec<(&str, &str)> = zones[0]
        .children
        .iter()
        .map(|c| (c.name.as_str(), c.value("TZOFFSETTO")))
        .collect();
    assert!(offsets.contains(&("STANDARD", "+0000")), "{offsets:?}");
    assert!(offsets.contains(&("DAYLIGHT", "+0100")), "{offsets:?}");
    for (uid, (_, local)) in uids.iter().zip(cases) {
        let event = feed.event_with_uid(uid);
        assert_eq!(event.value("DTSTART"), local, "{uid}");
        assert_eq!(event.param("DTSTART", "TZID"), Some("Europe/London"));
    }

    // The single invitation agrees.
    let bst = invite(
        &app,
        uids[1].trim_end_matches("@minutebook"),
        &app.secretariat,
    )
    .await;
    assert_eq!(
        bst.children("VEVENT")[0].value("DTSTART"),
        "20260330T100000"
    );
}

#[tokio::test]
async fn attendees_carry_their_answers_and_members_see_only_themselves() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let mid = id(&s.meeting);
    let invited = app
        .send(
            Method::POST,
            &format!("/api/v1/meetings/{mid}/attendance/invite-members"),
            Some(&app.secretariat),
            None,
            &[],
        )
        .await
        .expect(200)
        .json();
    let line_of = |person: &Value| {
        invited["invited"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["person_id"] == person["id"])
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let before = invite(&app, &mid, &app.secretariat).await;
    let attendee = |cal: &Comp, email: &str, param: &str| {
        cal.children("VEVENT")[0]
            .all("ATTENDEE")
            .into_iter()
            .find(|p| p.2 == format!("mailto:{email}"))
            .and_then(|p| p.1.iter().find(|(k, _)| k == param).map(|(_, v)| v.clone()))
    };
    assert_eq!(
        attendee(&before, "ben@nacro.example", "PARTSTAT").as_deref(),
        Some("NEEDS-ACTION")
    );

    // The meeting is in the past, so the secretariat writes up the answers.
    app.patch(
        &format!("/api/v1/attendance/{}", line_of(&s.member)),
        json!({"status": "apologies", "reason": "Sick"}),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/api/v1/attendance/{}", line_of(&s.chair)),
        json!({"status": "attended"}),
    )
    .await
    .expect(200);
    let after = invite(&app, &mid, &app.secretariat).await;
    assert_eq!(
        attendee(&after, "ben@nacro.example", "PARTSTAT").as_deref(),
        Some("DECLINED")
    );
    assert_eq!(
        attendee(&after, "ana@nacro.example", "PARTSTAT").as_deref(),
        Some("ACCEPTED")
    );
    assert_eq!(
        attendee(&after, "ana@nacro.example", "ROLE").as_deref(),
        Some("CHAIR")
    );
    assert_eq!(
        attendee(&after, "ben@nacro.example", "ROLE").as_deref(),
        Some("REQ-PARTICIPANT")
    );
    assert_eq!(
        attendee(&after, "ben@nacro.example", "CN").as_deref(),
        Some("Ben Okafor")
    );

    // A member's copy names only the member: members do not see each other's addresses.
    let ben = app.member_token(&s.member).await;
    let theirs = invite(&app, &mid, &ben).await;
    let addresses: Vec<&str> = theirs.children("VEVENT")[0]
        .all("ATTENDEE")
        .iter()
        .map(|p| p.2.as_str())
        .collect();
    assert_eq!(addresses, vec!["mailto:ben@nacro.example"]);
}

#[tokio::test]
async fn calendar_files_need_a_token_and_membership() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let mid = id(&s.meeting);
    let outsider_org = app.organisation("Outsiders", "other").await;
    let outsider = app
        .person("Olu Outsider", "olu@example.org", &outsider_org["id"])
        .await;
    let token = app.member_token(&outsider).await;
    app.send(
        Method::GET,
        &format!("/api/v1/meetings/{mid}/invite.ics"),
        None,
        None,
        &[],
    )
    .await
    .problem(401);
    app.send(
        Method::GET,
        &format!("/api/v1/meetings/{mid}/invite.ics"),
        Some(&token),
        None,
        &[],
    )
    .await
    .problem(403);
    app.send(
        Method::GET,
        &format!("/api/v1/groups/{}/calendar.ics", id(&s.group)),
        Some(&token),
        None,
        &[],
    )
    .await
    .problem(403);
    app.get(&format!(
        "/api/v1/meetings/{}/invite.ics",
        crate::helpers::unknown_id()
    ))
    .await
    .problem(404);
}

#[tokio::test]
async fn a_calendar_app_reads_a_personal_feed_without_a_header_until_it_is_revoked() {
    let app = spawn_app().await;
    let s = setting(&app).await;
    let first = id(&s.meeting);
    let second = app
        .meeting(&s.group, "2026-12-03T10:00:00Z", "2026-12-03T12:00:00Z")
        .await;
    let second = id(&second);
    let elsewhere = app
        .meeting(&s.group, "2027-01-14T10:00:00Z", "2027-01-14T12:00:00Z")
        .await;
    for meeting in [&first, &second] {
        app.post(
            &format!("/api/v1/meetings/{meeting}/attendance"),
            json!({"person_id": s.member["id"], "role": "member"}),
        )
        .await
        .expect(201);
    }
    app.post(
        &format!("/api/v1/meetings/{second}/agenda-items"),
        json!({"title": "Recruitment of the next chair", "kind": "discussion", "visibility": "secretariat"}),
    )
    .await
    .expect(201);
    app.post(
        &format!("/api/v1/meetings/{second}/agenda-items"),
        json!({"title": "Accommodation on release", "kind": "discussion", "visibility": "members"}),
    )
    .await
    .expect(201);
    app.post(&format!("/api/v1/meetings/{first}/cancel"), json!({}))
        .await
        .expect(200);

    // Ben asks for his own feed.
    let ben = app.member_token(&s.member).await;
    let person = id(&s.member);
    let issued = app
        .send(
            Method::POST,
            &format!("/api/v1/people/{person}/calendar-feed"),
            Some(&ben),
            None,
            &[],
        )
        .await
        .expect(201)
        .json();
    let path = issued["path"].as_str().unwrap().to_owned();
    assert!(path.starts_with("/api/v1/calendar-feeds/") && path.ends_with("/calendar.ics"));

    // The calendar app sends no Authorization header.
    let reply = app
        .send(Method::GET, &path, None, None, &[])
        .await
        .expect(200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    let etag = reply.header("etag").unwrap();
    app.send(Method::GET, &path, None, None, &[("If-None-Match", &etag)])
        .await
        .expect(304);
    let feed = parse(&reply.body);
    let events = feed.children("VEVENT");
    assert_eq!(events.len(), 2, "only the meetings he is invited to");
    assert!(
        feed.children("VEVENT")
            .iter()
            .all(|e| e.value("UID") != format!("{}@minutebook", id(&elsewhere)))
    );
    assert_eq!(
        feed.event_with_uid(&format!("{first}@minutebook"))
            .value("STATUS"),
        "CANCELLED"
    );
    let upcoming = feed.event_with_uid(&format!("{second}@minutebook"));
    assert_eq!(upcoming.value("STATUS"), "CONFIRMED");
    assert!(
        upcoming
            .value("DESCRIPTION")
            .contains("Accommodation on release")
    );
    assert!(
        !upcoming.value("DESCRIPTION").contains("Recruitment"),
        "no secretariat-only items"
    );
    assert!(
        upcoming.all("ATTENDEE").is_empty(),
        "feeds list no attendees"
    );

    // Someone else may not issue Ben's feed, and a feed secret is no API token.
    let chair = app.member_token(&s.chair).await;
    app.send(
        Method::POST,
        &format!("/api/v1/people/{person}/calendar-feed"),
        Some(&chair),
        None,
        &[],
    )
    .await
    .problem(403);
    let secret = path.split('/').nth(4).unwrap().to_owned();
    app.send(Method::GET, "/api/v1/meetings", Some(&secret), None, &[])
        .await
        .problem(401);

    // Issuing again replaces the address: the old one is gone.
    let reissued = app
        .post(&format!("/api/v1/people/{person}/calendar-feed"), json!({}))
        .await
        .expect(201)
        .json();
    app.send(Method::GET, &path, None, None, &[])
        .await
        .problem(410);
    let new_path = reissued["path"].as_str().unwrap().to_owned();
    app.send(Method::GET, &new_path, None, None, &[])
        .await
        .expect(200);

    // Ben revokes it himself; it stops working at once.
    app.send(
        Method::DELETE,
        &format!("/api/v1/calendar-feeds/{}", id(&reissued)),
        Some(&chair),
        None,
        &[],
    )
    .await
    .problem(404);
    app.send(
        Method::DELETE,
        &format!("/api/v1/calendar-feeds/{}", id(&reissued)),
        Some(&ben),
        None,
        &[],
    )
    .await
    .expect(204);
    app.send(Method::GET, &new_path, None, None, &[])
        .await
        .problem(410);
    app.send(
        Method::GET,
        "/api/v1/calendar-feeds/mbcal_nonsense/calendar.ics",
        None,
        None,
        &[],
    )
    .await
    .problem(404);

    // Every issue and revocation is in the audit trail.
    let trail = app
        .get("/api/v1/audit?entity=calendar_feed")
        .await
        .expect(200)
        .json();
    let operations: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        operations
            .iter()
            .filter(|o| **o == "calendar_feed.issue")
            .count(),
        2
    );
    assert_eq!(
        operations
            .iter()
            .filter(|o| **o == "calendar_feed.revoke")
            .count(),
        2
    );
}

#[tokio::test]
async fn the_personal_feed_is_public_in_the_openapi_document() {
    let app = spawn_app().await;
    let spec = app
        .send(Method::GET, "/api/openapi.json", None, None, &[])
        .await
        .expect(200)
        .json();
    let feed = &spec["paths"]["/calendar-feeds/{secret}/calendar.ics"]["get"];
    assert!(feed.is_object());
    assert!(
        feed.get("security")
            .is_none_or(|s| s.as_array().is_some_and(|a| a.is_empty()))
    );
    let invite = &spec["paths"]["/meetings/{id}/invite.ics"]["get"];
    assert!(invite["security"].as_array().is_some_and(|a| !a.is_empty()));
    let digest = &spec["paths"]["/actions/overdue-digest"]["get"]["responses"]["200"]["content"];
    assert!(
        digest.get("text/plain; charset=utf-8").is_some()
            && digest.get("application/json; charset=utf-8").is_some(),
        "{digest}"
    );
}
