//! Who may do what. The role matrix is driven by the OpenAPI document: every operation
//! it lists must have a row in [`cases`], so a new operation cannot ship without a
//! decision about who may call it.

use std::collections::{BTreeMap, BTreeSet};

use poem::http::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, date_from_now, days_from_now, id, items, spawn_app};

/// Who sends a request that should succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum As {
    Secretariat,
    Member,
}

/// What a member token may do with an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    /// It succeeds with the same status as for the secretariat.
    Allowed,
    /// 403.
    Forbidden,
    /// Needs no token at all (its address is its credential): anyone succeeds, with
    /// or without a token.
    Public,
    /// Answers anonymous callers (with what the public may see); a token, if sent,
    /// must be valid.
    OptionalToken,
}

/// A valid request for one operation: values for the `{…}` parameters of its path,
/// a query string, and its JSON body.
#[derive(Default)]
pub struct Call {
    pub params: Vec<(&'static str, String)>,
    pub query: Option<String>,
    pub body: Option<Value>,
}

/// A request to a path whose only parameter is `{id}`.
fn at(id: &str) -> Call {
    Call {
        params: vec![("id", id.to_owned())],
        ..Call::default()
    }
}

fn at_with(id: &str, body: Value) -> Call {
    Call {
        body: Some(body),
        ..at(id)
    }
}

fn plain() -> Call {
    Call::default()
}

fn with(body: Value) -> Call {
    Call {
        body: Some(body),
        ..Call::default()
    }
}

/// One row of the role matrix.
pub struct Case {
    pub operation: &'static str,
    /// The status a successful call answers with.
    pub success: u16,
    pub member: Member,
    /// Builds a valid request against the seeded [`World`].
    pub request: fn(&World, As) -> Call,
}

/// Every operation of the API: how to call it, and what a member may do with it.
pub fn cases() -> Vec<Case> {
    use Member::{Allowed, Forbidden, OptionalToken, Public};
    fn case(
        operation: &'static str,
        success: u16,
        member: Member,
        request: fn(&World, As) -> Call,
    ) -> Case {
        Case {
            operation,
            success,
            member,
            request,
        }
    }
    vec![
        case("organisations.create", 201, Forbidden, |_, _| {
            with(json!({"name": "Unlock", "kind": "voluntary_sector"}))
        }),
        case("organisations.list", 200, Forbidden, |_, _| plain()),
        case("organisations.get", 200, Forbidden, |w, _| at(&w.nacro)),
        case("organisations.update", 200, Forbidden, |w, _| {
            at_with(&w.nacro, json!({"website": "https://www.nacro.example"}))
        }),
        case("people.create", 201, Forbidden, |_, _| {
            with(json!({"name": "Dana Reid", "email": "dana@unlock.example"}))
        }),
        case("people.list", 200, Forbidden, |_, _| plain()),
        // A member may read their own record.
        case("people.get", 200, Allowed, |w, _| at(&w.ben)),
        case("people.update", 200, Forbidden, |w, _| {
            at_with(&w.ana, json!({"job_title": "Chief Executive"}))
        }),
        case("groups.create", 201, Forbidden, |w, _| {
            with(
                json!({"kind": "sig", "parent_id": w.rr3, "name": "Community Provision SIG",
                        "short_name": "CP"}),
            )
        }),
        case("groups.list", 200, Allowed, |_, _| plain()),
        case("groups.get", 200, Allowed, |w, _| at(&w.frd)),
        case("groups.update", 200, Forbidden, |w, _| {
            at_with(
                &w.frd,
                json!({"remit": "Design of the future prison regime"}),
            )
        }),
        case("groups.activate", 200, Forbidden, |w, _| at(&w.proposed)),
        case("groups.close", 200, Forbidden, |w, _| {
            at_with(&w.closing, json!({"reason": "Final report delivered"}))
        }),
        case("memberships.create", 201, Forbidden, |w, _| {
            at_with(
                &w.frd,
                json!({"person_id": w.carys, "role": "official", "starts_on": "2026-01-01"}),
            )
        }),
        case("memberships.list", 200, Allowed, |w, _| at(&w.frd)),
        // Another member's seat in the member's own group.
        case(
            "memberships.get",
            200,
            Allowed,
            |w, _| at(&w.ana_membership),
        ),
        case("memberships.update", 200, Forbidden, |w, _| {
            at_with(&w.ana_membership, json!({"role": "co_chair"}))
        }),
        case("meetings.create", 201, Forbidden, |w, _| {
            at_with(
                &w.frd,
                json!({"title": "Seventh meeting", "starts_at": days_from_now(60, 10),
                       "ends_at": days_from_now(60, 12), "mode": "in_person",
                       "location": "102 Petty France, London"}),
            )
        }),
        case("meetings.list_for_group", 200, Allowed, |w, _| at(&w.frd)),
        case("meetings.list", 200, Allowed, |_, _| plain()),
        case("meetings.get", 200, Allowed, |w, _| at(&w.upcoming)),
        case("meetings.update", 200, Forbidden, |w, _| {
            at_with(
                &w.upcoming,
                json!({"title": "Future regime design: release"}),
            )
        }),
        case("meetings.cancel", 200, Forbidden, |w, _| {
            at_with(&w.to_cancel, json!({"reason": "The chair is unwell"}))
        }),
        case("meetings.mark_held", 200, Forbidden, |w, _| at(&w.to_hold)),
        case("meetings.postpone", 200, Forbidden, |w, _| {
            at_with(
                &w.to_postpone,
                json!({"starts_at": days_from_now(90, 10), "ends_at": days_from_now(90, 12),
                       "reason": "Clashes with the spending review"}),
            )
        }),
        case("agenda.create", 201, Forbidden, |w, _| {
            at_with(
                &w.upcoming,
                json!({"title": "Any other business", "kind": "aob", "visibility": "public"}),
            )
        }),
        case("agenda.list", 200, Allowed, |w, _| at(&w.upcoming)),
        case("agenda.reorder", 200, Forbidden, |w, _| {
            at_with(
                &w.past,
                json!({"agenda_item_ids": [w.past_items[1], w.past_items[0]]}),
            )
        }),
        case("agenda.get", 200, Allowed, |w, _| at(&w.members_item)),
        case("agenda.add_previous_actions", 201, Forbidden, |w, _| {
            at(&w.lacks_previous_actions)
        }),
        case("agenda.move", 200, Forbidden, |w, _| {
            at_with(&w.members_item, json!({"direction": "up"}))
        }),
        case("agenda.update", 200, Forbidden, |w, _| {
            at_with(&w.members_item, json!({"duration_minutes": 20}))
        }),
        case("agenda.remove", 204, Forbidden, |w, _| at(&w.spare_item)),
        case("attendance.invite", 201, Forbidden, |w, _| {
            at_with(
                &w.upcoming,
                json!({"person_id": w.carys, "role": "official"}),
            )
        }),
        case("attendance.list", 200, Allowed, |w, _| at(&w.upcoming)),
        case("attendance.invite_members", 200, Forbidden, |w, _| {
            at(&w.upcoming)
        }),
        case("attendance.get", 200, Allowed, |w, _| at(&w.ana_line)),
        case("attendance.record_register", 200, Forbidden, |w, _| {
            at_with(
                &w.past,
                json!({"lines": [{"attendance_id": w.past_line, "status": "attended"}]}),
            )
        }),
        // A member answers their own invitation; the secretariat records anyone's.
        case(
            "attendance.update",
            200,
            Allowed,
            |w, caller| match caller {
                As::Member => at_with(
                    &w.ben_line,
                    json!({"status": "apologies", "reason": "Visiting a prison"}),
                ),
                As::Secretariat => at_with(&w.ana_line, json!({"status": "accepted"})),
            },
        ),
        case("actions.create", 201, Forbidden, |w, _| {
            at_with(
                &w.past,
                json!({"description": "Circulate the slides", "owner_text": "Secretariat"}),
            )
        }),
        case("actions.list_for_meeting", 200, Allowed, |w, _| at(&w.past)),
        case("actions.list", 200, Allowed, |_, _| plain()),
        case("actions.get", 200, Allowed, |w, _| at(&w.ben_action)),
        case("actions.history", 200, Allowed, |w, _| at(&w.ben_action)),
        // The owner moves their own action on; the secretariat moves anyone's.
        case("actions.update", 200, Allowed, |w, caller| match caller {
            As::Member => at_with(
                &w.ben_action,
                json!({"status": "in_progress", "note": "Draft shared with HMPPS"}),
            ),
            As::Secretariat => at_with(&w.ana_action, json!({"status": "done"})),
        }),
        case("tokens.create", 201, Forbidden, |w, _| {
            with(json!({"name": "Ana Costa (member)", "role": "member", "person_id": w.ana}))
        }),
        case("tokens.list", 200, Forbidden, |_, _| plain()),
        case("tokens.revoke", 204, Forbidden, |w, _| at(&w.spare_token)),
        case("audit.list", 200, Forbidden, |_, _| plain()),
        case("sign_in_links.create", 201, Forbidden, |w, _| {
            with(json!({"person_id": w.ben, "expires_in_minutes": 30}))
        }),
        case("sign_in_links.list", 200, Forbidden, |_, _| plain()),
        case("sign_in_links.revoke", 204, Forbidden, |w, _| {
            at(&w.spare_link)
        }),
        case("actions.export_csv", 200, Allowed, |_, _| plain()),
        case("actions.overdue_digest", 200, Forbidden, |_, _| plain()),
        case("actions.carry_forward", 200, Forbidden, |w, _| {
            at_with(
                &w.ben_action,
                json!({"note": "Carried to the next meeting"}),
            )
        }),
        case("actions.escalate", 200, Forbidden, |w, _| {
            at_with(
                &w.ben_action,
                json!({"note": "Needs the main group's view"}),
            )
        }),
        case("calendars.invite", 200, Allowed, |w, _| at(&w.upcoming)),
        case("calendars.group_feed", 200, Allowed, |w, _| at(&w.frd)),
        // Anyone may have a feed of their own; the secretariat issues them for anyone.
        case(
            "calendars.issue_feed",
            201,
            Allowed,
            |w, caller| match caller {
                As::Member => at(&w.ben),
                As::Secretariat => at(&w.ana),
            },
        ),
        case("calendars.personal_feed", 200, Public, |w, _| Call {
            params: vec![("secret", w.carys_feed_secret.clone())],
            ..Call::default()
        }),
        case("summary_notes.put", 201, Forbidden, |w, _| {
            at_with(
                &w.to_hold,
                json!({"purpose": "To agree the regime principles"}),
            )
        }),
        case("summary_notes.get", 200, Allowed, |w, _| {
            at(&w.note_published)
        }),
        case("summary_notes.circulate", 200, Forbidden, |w, _| {
            at_with(
                &w.note_draft,
                json!({"comment_deadline": date_from_now(14)}),
            )
        }),
        case("summary_notes.approve", 200, Forbidden, |w, _| {
            at(&w.note_circulated)
        }),
        case("summary_notes.publish", 201, Forbidden, |w, _| {
            at_with(&w.note_approved, json!({"audience": "members"}))
        }),
        case("summary_notes.revise", 200, Forbidden, |w, _| {
            at_with(
                &w.note_to_revise,
                json!({"reason": "Correcting the date of the next meeting"}),
            )
        }),
        // Comments on a circulated note: its group's members and the officials who
        // attended comment and withdraw their own; the secretariat records comments
        // on someone's behalf and decides on them.
        case("summary_notes.circulated_document", 200, Allowed, |w, _| {
            at(&w.note_commented)
        }),
        case("note_comments.list", 200, Allowed, |w, _| {
            at(&w.note_commented)
        }),
        case(
            "note_comments.create",
            201,
            Allowed,
            |w, caller| match caller {
                As::Member => at_with(
                    &w.note_commented,
                    json!({"body": "The summary of item 2 misses the point on resettlement."}),
                ),
                As::Secretariat => at_with(
                    &w.note_commented,
                    json!({"body": "Ana asked by email for her apologies to be noted.", "person_id": w.ana}),
                ),
            },
        ),
        case(
            "note_comments.get",
            200,
            Allowed,
            |w, caller| match caller {
                As::Member => at(&w.ben_comment),
                As::Secretariat => at(&w.ana_comment),
            },
        ),
        case(
            "note_comments.withdraw",
            200,
            Allowed,
            |w, caller| match caller {
                As::Member => at(&w.ben_comment),
                As::Secretariat => at(&w.ana_comment),
            },
        ),
        case("note_comments.decide", 200, Forbidden, |w, _| {
            at_with(
                &w.comment_to_decide,
                json!({"decision": "adopted", "reply": "Thank you: the note now says so."}),
            )
        }),
        case("summary_notes.preview", 200, Forbidden, |w, _| Call {
            query: Some("audience=members".into()),
            ..at(&w.upcoming)
        }),
        case("summary_notes.list", 200, OptionalToken, |_, _| plain()),
        case("summary_notes.published", 200, OptionalToken, |w, _| {
            at(&w.published_note)
        }),
        case("summary_notes.document", 200, OptionalToken, |w, _| Call {
            params: vec![("id", w.published_note.clone()), ("number", "1".into())],
            ..Call::default()
        }),
        case(
            "calendars.revoke_feed",
            204,
            Allowed,
            |w, caller| match caller {
                As::Member => at(&w.ben_feed),
                As::Secretariat => at(&w.ana_feed),
            },
        ),
    ]
}

/// Real objects for every operation to act on, made over the API.
pub struct World {
    pub nacro: String,
    /// The person behind `member_token`: a member of FRD only.
    pub ben: String,
    pub ben_email: String,
    /// FRD's chair.
    pub ana: String,
    pub ana_email: String,
    /// An official who belongs to no group.
    pub carys: String,
    pub rr3: String,
    /// Ben's group.
    pub frd: String,
    /// A group Ben does not belong to, with a meeting.
    pub acc: String,
    pub acc_meeting: String,
    /// A proposed SIG, to activate.
    pub proposed: String,
    /// A SIG to close.
    pub closing: String,
    pub ana_membership: String,
    /// An FRD meeting a month ahead: agenda and register.
    pub upcoming: String,
    /// An FRD meeting a month ago: actions, and an agenda to reorder.
    pub past: String,
    pub past_items: [String; 2],
    /// A past FRD meeting to mark held.
    pub to_hold: String,
    pub to_cancel: String,
    pub to_postpone: String,
    /// An `upcoming` agenda item for members.
    pub members_item: String,
    /// An `upcoming` agenda item for the secretariat only, to remove.
    pub spare_item: String,
    pub ben_line: String,
    pub ana_line: String,
    /// A line of `past`'s register, to record as attended.
    pub past_line: String,
    /// A scheduled ACC meeting whose agenda lost its "previous actions" item while
    /// an action is outstanding.
    pub lacks_previous_actions: String,
    pub ben_action: String,
    pub ana_action: String,
    /// A token nobody uses, to revoke.
    pub spare_token: String,
    /// A sign-in link nobody uses, to revoke.
    pub spare_link: String,
    /// Past FRD meetings whose notes stand at each step of their lifecycle.
    pub note_draft: String,
    pub note_circulated: String,
    pub note_approved: String,
    pub note_published: String,
    pub note_to_revise: String,
    /// A past FRD meeting whose note is circulated for comment, with comments by Ben
    /// (his own), and two recorded by the secretariat for Ana.
    pub note_commented: String,
    pub ben_comment: String,
    pub ana_comment: String,
    pub comment_to_decide: String,
    /// The note of `note_published`, published for the public as version 1.
    pub published_note: String,
    /// Personal calendar feeds: Ben's and Ana's to revoke, Carys's to read.
    pub ben_feed: String,
    pub ana_feed: String,
    pub carys_feed_secret: String,
    pub member_token: String,
}

pub async fn seed(app: &TestApp) -> World {
    let nacro = app.organisation("Nacro", "voluntary_sector").await;
    let hmpps = app.organisation("HMPPS", "hmpps").await;
    let ana = app
        .person("Ana Costa", "ana@nacro.example", &nacro["id"])
        .await;
    let ben = app
        .person("Ben Okafor", "ben@nacro.example", &nacro["id"])
        .await;
    let carys = app
        .person("Carys Hughes", "carys@hmpps.example", &hmpps["id"])
        .await;
    let rr3 = app.main_group().await;
    let frd = app.sig(&rr3, "Future Regime Design SIG", "FRD").await;
    let acc = app.sig(&rr3, "Accommodation SIG", "ACC").await;
    let closing = app.sig(&rr3, "Probation Reform SIG", "PR").await;
    let proposed = app
        .post(
            "/api/v1/groups",
            json!({"kind": "sig", "parent_id": rr3["id"], "name": "Women's Estate SIG",
                   "short_name": "WE", "status": "proposed"}),
        )
        .await
        .expect(201)
        .json();
    let ana_membership = app.member(&frd, &ana, "chair").await;
    app.member(&frd, &ben, "member").await;
    app.member(&acc, &ana, "member").await;

    let upcoming = app.meeting_in(&frd, 30).await;
    let past = app.meeting_in(&frd, -30).await;
    let to_hold = app.meeting_in(&frd, -20).await;
    let to_cancel = app.meeting_in(&frd, 40).await;
    let to_postpone = app.meeting_in(&frd, 50).await;
    let acc_meeting = app.meeting_in(&acc, 30).await;
    // The main group's next meeting, for escalations.
    app.meeting_in(&rr3, 60).await;

    let past_items = [
        id(&app.agenda_item(&past, "Welcome", "public").await),
        id(&app.agenda_item(&past, "Regime principles", "members").await),
    ];
    let members_item = app
        .agenda_item(&upcoming, "Release planning", "members")
        .await;
    let spare_item = app
        .agenda_item(&upcoming, "Secretariat briefing", "secretariat")
        .await;
    let register = app.invite_members(&upcoming).await;
    let line_of = |person: &Value| {
        register["invited"]
            .as_array()
            .unwrap()
            .iter()
            .find(|line| line["person_id"] == person["id"])
            .map(id)
            .expect("invited")
    };
    let ben_action = app.action(&past, &ben, Some("2026-12-01")).await;
    let ana_action = app.action(&past, &ana, None).await;
    let past_register = app.invite_members(&past).await;
    let past_line = id(&past_register["invited"][0]);
    // An ACC meeting scheduled after an earlier one left an action open, so it opens
    // with the "previous actions" item; the secretariat took it off. (ACC, because
    // raising an FRD action in the table below would put the item back.)
    let acc_past = app.meeting_in(&acc, -10).await;
    app.action(&acc_past, &ana, None).await;
    let lacks_previous_actions = app.meeting_in(&acc, 70).await;
    let automatic = items(
        &app.get(&format!(
            "/api/v1/meetings/{}/agenda-items",
            id(&lacks_previous_actions)
        ))
        .await
        .expect(200)
        .json(),
    );
    assert_eq!(automatic[0]["kind"], "previous_actions");
    app.delete(&format!("/api/v1/agenda-items/{}", id(&automatic[0])))
        .await
        .expect(204);
    let spare_token = app
        .post(
            "/api/v1/tokens",
            json!({"name": "Old laptop", "role": "secretariat"}),
        )
        .await
        .expect(201)
        .json();
    let spare_link = app
        .post(
            "/api/v1/sign-in-links",
            json!({"person_id": ana["id"], "expires_in_minutes": 60}),
        )
        .await
        .expect(201)
        .json();
    let feed = |person: &Value| {
        let path = format!("/api/v1/people/{}/calendar-feed", id(person));
        async move { app.post(&path, json!({})).await.expect(201).json() }
    };
    let ben_feed = feed(&ben).await;
    let ana_feed = feed(&ana).await;
    let carys_feed = feed(&carys).await;
    let carys_feed_secret = carys_feed["path"]
        .as_str()
        .unwrap()
        .trim_start_matches("/api/v1/calendar-feeds/")
        .trim_end_matches("/calendar.ics")
        .to_owned();
    // Notes at each step: draft, circulated, approved, published (twice over).
    let note_at = |days: i64, steps: usize| {
        let group = frd.clone();
        async move {
            let meeting = id(&app.meeting_in(&group, days).await);
            let base = format!("/api/v1/meetings/{meeting}/summary-note");
            app.put(
                &base,
                json!({"purpose": "To hear officials' emerging principles"}),
            )
            .await
            .expect(201);
            let steps_taken = [
                ("circulate", json!({"comment_deadline": date_from_now(14)})),
                ("approve", json!({})),
                ("publish", json!({"audience": "public"})),
            ];
            let mut published = None;
            for (step, body) in steps_taken.into_iter().take(steps) {
                let reply = app.post(&format!("{base}/{step}"), body).await;
                let reply = if step == "publish" {
                    reply.expect(201)
                } else {
                    reply.expect(200)
                };
                if step == "publish" {
                    published = Some(reply.json()["note_id"].as_str().unwrap().to_owned());
                }
            }
            (meeting, published)
        }
    };
    let (note_draft, _) = note_at(-40, 0).await;
    let (note_circulated, _) = note_at(-41, 1).await;
    let (note_approved, _) = note_at(-42, 2).await;
    let (note_published, published_note) = note_at(-43, 3).await;
    let (note_to_revise, _) = note_at(-44, 3).await;
    let (note_commented, _) = note_at(-45, 1).await;
    let member_token = app.member_token(&ben).await;
    let comments = format!("/api/v1/meetings/{note_commented}/summary-note/comments");
    let ben_comment = app
        .send(
            Method::POST,
            &comments,
            Some(&member_token),
            Some(json!({"body": "Please add that officials will share the data."})),
            &[],
        )
        .await
        .expect(201)
        .json();
    let for_ana = |body: &str| {
        let body = json!({"body": body, "person_id": ana["id"]});
        let path = comments.clone();
        async move { app.post(&path, body).await.expect(201).json() }
    };
    let ana_comment = for_ana("The date of the next meeting is wrong.").await;
    let comment_to_decide = for_ana("Item 3 should say the group agreed.").await;
    World {
        note_commented,
        ben_comment: id(&ben_comment),
        ana_comment: id(&ana_comment),
        comment_to_decide: id(&comment_to_decide),
        note_draft,
        note_circulated,
        note_approved,
        note_published,
        note_to_revise,
        published_note: published_note.expect("published"),
        ben_feed: id(&ben_feed),
        ana_feed: id(&ana_feed),
        carys_feed_secret,
        spare_link: id(&spare_link),
        nacro: id(&nacro),
        ben: id(&ben),
        ben_email: "ben@nacro.example".into(),
        ana: id(&ana),
        ana_email: "ana@nacro.example".into(),
        carys: id(&carys),
        rr3: id(&rr3),
        frd: id(&frd),
        acc: id(&acc),
        acc_meeting: id(&acc_meeting),
        proposed: id(&proposed),
        closing: id(&closing),
        ana_membership: id(&ana_membership),
        upcoming: id(&upcoming),
        past: id(&past),
        past_items,
        to_hold: id(&to_hold),
        to_cancel: id(&to_cancel),
        to_postpone: id(&to_postpone),
        members_item: id(&members_item),
        spare_item: id(&spare_item),
        ben_line: line_of(&ben),
        ana_line: line_of(&ana),
        past_line,
        lacks_previous_actions: id(&lacks_previous_actions),
        ben_action: id(&ben_action),
        ana_action: id(&ana_action),
        spare_token: spare_token["details"]["id"].as_str().unwrap().to_owned(),
        member_token,
    }
}

/// One operation as the OpenAPI document lists it.
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: Method,
    /// The full path template, e.g. `/api/v1/groups/{id}/meetings`.
    pub path: String,
    pub id: String,
}

impl Operation {
    /// The names of the `{…}` parameters in the path.
    pub fn params(&self) -> Vec<String> {
        self.path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
            .collect()
    }

    /// The address for `call`: its parameters filled in and its query appended.
    pub fn address(&self, call: &Call) -> String {
        let mut path = self.path.clone();
        for (name, value) in &call.params {
            let slot = format!("{{{name}}}");
            assert!(
                path.contains(&slot),
                "{} has no {slot}: {}",
                self.id,
                self.path
            );
            path = path.replace(&slot, value);
        }
        assert!(
            !path.contains('{'),
            "{} needs a value for every parameter of {}",
            self.id,
            self.path
        );
        match &call.query {
            Some(query) => format!("{path}?{query}"),
            None => path,
        }
    }

    /// The address with every path parameter set to `value`.
    pub fn address_with_every_param(&self, value: &str) -> String {
        let mut path = self.path.clone();
        for name in self.params() {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        path
    }
}

/// Every operation in the published OpenAPI document, read anonymously.
pub async fn operations(app: &TestApp) -> Vec<Operation> {
    let spec = app
        .send(Method::GET, "/api/openapi.json", None, None, &[])
        .await
        .expect(200)
        .json();
    let base = spec["servers"][0]["url"]
        .as_str()
        .expect("a server URL")
        .trim_end_matches('/')
        .to_owned();
    let mut operations = Vec::new();
    for (path, methods) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in methods.as_object().expect("operations") {
            let Ok(method) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"))
                .to_owned();
            operations.push(Operation {
                method,
                path: format!("{base}{path}"),
                id,
            });
        }
    }
    operations
}

/// Pairs every documented operation with its row, failing if either side has one the
/// other lacks.
pub fn matched(operations: Vec<Operation>) -> Vec<(Operation, Case)> {
    let mut table: BTreeMap<&'static str, Case> =
        cases().into_iter().map(|c| (c.operation, c)).collect();
    let documented: BTreeSet<String> = operations.iter().map(|o| o.id.clone()).collect();
    let missing: Vec<&String> = documented
        .iter()
        .filter(|id| !table.contains_key(id.as_str()))
        .collect();
    let stale: Vec<&&str> = table
        .keys()
        .filter(|id| !documented.contains(**id))
        .collect();
    assert!(
        missing.is_empty(),
        "operations in the OpenAPI document with no row in the role table: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows in the role table for operations the OpenAPI document lacks: {stale:?}"
    );
    assert_eq!(
        documented.len(),
        operations.len(),
        "operation ids are unique"
    );
    operations
        .into_iter()
        .map(|o| {
            let case = table.remove(o.id.as_str()).expect("matched above");
            (o, case)
        })
        .collect()
}

const FORGED: &str = "mb_0000000000000000000000000000000000000000000000000000000000000000";

#[tokio::test]
async fn every_documented_operation_answers_each_kind_of_caller_as_the_role_table_says() {
    let app = spawn_app().await;
    let world = seed(&app).await;
    let operations = matched(operations(&app).await);
    assert!(operations.len() >= 47, "the whole API is covered");

    // A secretariat token that has been revoked is worth nothing.
    let revoked = app
        .post(
            "/api/v1/tokens",
            json!({"name": "Lost phone", "role": "secretariat"}),
        )
        .await
        .expect(201)
        .json();
    app.delete(&format!(
        "/api/v1/tokens/{}",
        revoked["details"]["id"].as_str().unwrap()
    ))
    .await
    .expect(204);
    let revoked = revoked["token"].as_str().unwrap().to_owned();

    for (operation, case) in &operations {
        let name = &operation.id;
        let as_member = (case.request)(&world, As::Member);
        let path = operation.address(&as_member);
        let method = operation.method.clone();

        let before = app.counts().await;
        if case.member == Member::Public {
            for (who, token) in [("no token", None), ("a forged token", Some(FORGED))] {
                let reply = app
                    .send(method.clone(), &path, token, as_member.body.clone(), &[])
                    .await;
                assert_eq!(
                    reply.status.as_u16(),
                    case.success,
                    "{name} is public, so {who} is enough: {}",
                    String::from_utf8_lossy(&reply.body)
                );
            }
            continue;
        }
        if case.member == Member::OptionalToken {
            let reply = app
                .send(method.clone(), &path, None, as_member.body.clone(), &[])
                .await;
            assert_eq!(
                reply.status.as_u16(),
                case.success,
                "{name} answers anonymous callers: {}",
                String::from_utf8_lossy(&reply.body)
            );
        }
        let refusals: &[(&str, Option<&str>)] = if case.member == Member::OptionalToken {
            &[
                ("a forged token", Some(FORGED)),
                ("a revoked token", Some(revoked.as_str())),
            ]
        } else {
            &[
                ("no token", None),
                ("a forged token", Some(FORGED)),
                ("a revoked token", Some(revoked.as_str())),
            ]
        };
        for &(who, token) in refusals {
            let reply = app
                .send(method.clone(), &path, token, as_member.body.clone(), &[])
                .await;
            assert_eq!(
                reply.status.as_u16(),
                401,
                "{name} with {who}: {}",
                String::from_utf8_lossy(&reply.body)
            );
            reply.problem(401);
        }
        assert_eq!(
            app.counts().await,
            before,
            "refusing {name} without a valid token changed nothing"
        );
        let reply = app
            .send(
                method.clone(),
                &path,
                Some(&world.member_token),
                as_member.body.clone(),
                &[],
            )
            .await;
        match case.member {
            Member::Forbidden => {
                assert_eq!(
                    reply.status.as_u16(),
                    403,
                    "a member may not call {name}: {}",
                    String::from_utf8_lossy(&reply.body)
                );
                reply.problem(403);
                assert_eq!(
                    app.counts().await,
                    before,
                    "refusing {name} changed nothing"
                );
            }
            Member::Public => unreachable!("public operations are checked above"),
            Member::Allowed | Member::OptionalToken => {
                assert_eq!(
                    reply.status.as_u16(),
                    case.success,
                    "a member may call {name}: {}",
                    String::from_utf8_lossy(&reply.body)
                );
            }
        }

        let as_secretariat = (case.request)(&world, As::Secretariat);
        let reply = app
            .send(
                method.clone(),
                &operation.address(&as_secretariat),
                Some(&app.secretariat),
                as_secretariat.body,
                &[],
            )
            .await;
        assert_eq!(
            reply.status.as_u16(),
            case.success,
            "the secretariat may call {name}: {}",
            String::from_utf8_lossy(&reply.body)
        );
    }
}

#[tokio::test]
async fn anyone_may_check_health_and_read_the_api_description_without_a_token() {
    let app = spawn_app().await;
    let health = app
        .send(Method::GET, "/healthz", None, None, &[])
        .await
        .expect(200);
    assert_eq!(String::from_utf8_lossy(&health.body), "ok");
    let ready = app
        .send(Method::GET, "/readyz", None, None, &[])
        .await
        .expect(200);
    assert_eq!(String::from_utf8_lossy(&ready.body), "ready");

    let spec = app
        .send(Method::GET, "/api/openapi.json", None, None, &[])
        .await
        .expect(200);
    assert!(
        spec.header("content-type")
            .is_some_and(|t| t.starts_with("application/json"))
    );
    let spec = spec.json();
    assert!(
        spec["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3."))
    );
    assert_eq!(spec["info"]["title"], "minutebook");

    let docs = app
        .send(Method::GET, "/api/docs", None, None, &[])
        .await
        .expect(200);
    assert!(
        docs.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{:?}",
        docs.header("content-type")
    );
    let html = String::from_utf8_lossy(&docs.body).to_lowercase();
    assert!(html.contains("swagger"), "the docs page is Swagger UI");

    // The API itself is not open.
    app.send(Method::GET, "/api/v1/groups", None, None, &[])
        .await
        .problem(401);
}

#[tokio::test]
async fn members_never_see_other_peoples_email_addresses() {
    let app = spawn_app().await;
    let w = seed(&app).await;
    let member = w.member_token.as_str();
    let mut replies = vec![
        app.get_as(member, &format!("/api/v1/meetings/{}", w.upcoming))
            .await,
        app.get_as(
            member,
            &format!("/api/v1/meetings/{}/attendance", w.upcoming),
        )
        .await,
        app.get_as(member, &format!("/api/v1/attendance/{}", w.ana_line))
            .await,
        app.get_as(member, &format!("/api/v1/groups/{}/memberships", w.frd))
            .await,
        app.patch_as(
            member,
            &format!("/api/v1/attendance/{}", w.ben_line),
            json!({"status": "accepted"}),
        )
        .await,
    ];
    for reply in replies.drain(..) {
        let reply = reply.expect(200);
        let text = String::from_utf8_lossy(&reply.body);
        assert!(!text.contains(&w.ana_email), "{text}");
        assert!(!text.contains("\"email\""), "{text}");
    }
    // The same register, read by the secretariat, does carry them: the test above is
    // looking in the right place.
    let register = app
        .get(&format!("/api/v1/meetings/{}/attendance", w.upcoming))
        .await
        .expect(200);
    assert!(String::from_utf8_lossy(&register.body).contains(&w.ana_email));
    let detail = app
        .get(&format!("/api/v1/meetings/{}", w.upcoming))
        .await
        .expect(200);
    assert!(String::from_utf8_lossy(&detail.body).contains(&w.ben_email));
}

#[tokio::test]
async fn a_member_of_one_group_cannot_read_another_group_or_its_meetings() {
    let app = spawn_app().await;
    let w = seed(&app).await;
    let member = w.member_token.as_str();
    for path in [
        format!("/api/v1/groups/{}", w.acc),
        format!("/api/v1/groups/{}/memberships", w.acc),
        format!("/api/v1/groups/{}/meetings", w.acc),
        format!("/api/v1/meetings?group_id={}", w.acc),
        format!("/api/v1/meetings/{}", w.acc_meeting),
        format!("/api/v1/meetings/{}/agenda-items", w.acc_meeting),
        format!("/api/v1/meetings/{}/attendance", w.acc_meeting),
        format!("/api/v1/meetings/{}/actions", w.acc_meeting),
        format!("/api/v1/actions?group_id={}", w.acc),
    ] {
        let problem = app.get_as(member, &path).await.problem(403);
        assert!(
            problem["detail"].as_str().unwrap().contains("member"),
            "{path}"
        );
    }

    // Lists hold only what the member may see.
    let groups = app
        .get_as(member, "/api/v1/groups")
        .await
        .expect(200)
        .json();
    let names: Vec<&str> = groups["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["short_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["FRD"]);
    let meetings = app
        .get_as(member, "/api/v1/meetings?limit=200")
        .await
        .expect(200)
        .json();
    assert!(!meetings["items"].as_array().unwrap().is_empty());
    assert!(
        meetings["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["group_id"] == w.frd.as_str())
    );
    // The secretariat sees both groups' meetings.
    let all = app
        .get("/api/v1/meetings?limit=200")
        .await
        .expect(200)
        .json();
    assert!(
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["group_id"] == w.acc.as_str())
    );
}

#[tokio::test]
async fn a_member_cannot_answer_for_someone_else_or_touch_an_action_they_do_not_own() {
    let app = spawn_app().await;
    let w = seed(&app).await;
    let member = w.member_token.as_str();
    let before = app.counts().await;

    app.patch_as(
        member,
        &format!("/api/v1/attendance/{}", w.ana_line),
        json!({"status": "apologies", "reason": "Ana is away"}),
    )
    .await
    .problem(403);
    for path in [
        format!("/api/v1/actions/{}", w.ana_action),
        format!("/api/v1/actions/{}/history", w.ana_action),
    ] {
        app.get_as(member, &path).await.problem(403);
    }
    app.patch_as(
        member,
        &format!("/api/v1/actions/{}", w.ana_action),
        json!({"status": "done"}),
    )
    .await
    .problem(403);
    // Nor read anyone else's person record.
    app.get_as(member, &format!("/api/v1/people/{}", w.ana))
        .await
        .problem(403);

    assert_eq!(app.counts().await, before, "nothing changed");
    let line = app
        .get(&format!("/api/v1/attendance/{}", w.ana_line))
        .await
        .expect(200)
        .json();
    assert_eq!(line["status"], "invited");
    let action = app
        .get(&format!("/api/v1/actions/{}", w.ana_action))
        .await
        .expect(200)
        .json();
    assert_eq!(action["status"], "open");
}

#[tokio::test]
async fn a_member_cannot_record_attendance_or_rewrite_their_own_action() {
    let app = spawn_app().await;
    let w = seed(&app).await;
    let member = w.member_token.as_str();
    let before = app.counts().await;

    let own_line = format!("/api/v1/attendance/{}", w.ben_line);
    for body in [
        json!({"status": "attended"}),
        json!({"status": "absent"}),
        json!({"status": "no_response"}),
        json!({"role": "chair"}),
    ] {
        app.patch_as(member, &own_line, body.clone())
            .await
            .problem(403);
    }
    let own_action = format!("/api/v1/actions/{}", w.ben_action);
    for body in [
        json!({"description": "Something easier"}),
        json!({"due_on": "2027-06-01"}),
        json!({"owner_text": "All members"}),
        json!({"owner_person_id": w.ana}),
        json!({"status": "done", "description": "Done differently"}),
    ] {
        app.patch_as(member, &own_action, body.clone())
            .await
            .problem(403);
    }
    assert_eq!(app.counts().await, before, "nothing changed");

    // What a member may do with their own action: its status, with a note.
    let moved = app
        .patch_as(
            member,
            &own_action,
            json!({"status": "done", "note": "Sent on 3 December"}),
        )
        .await
        .expect(200)
        .json();
    assert_eq!(moved["status"], "done");
    assert_eq!(moved["description"], "Follow up for Ben Okafor");
}

#[tokio::test]
async fn a_member_who_has_left_the_group_can_no_longer_read_it() {
    let app = spawn_app().await;
    let w = seed(&app).await;
    let member = w.member_token.as_str();
    app.get_as(member, &format!("/api/v1/groups/{}", w.frd))
        .await
        .expect(200);

    let seats = app
        .get(&format!("/api/v1/groups/{}/memberships", w.frd))
        .await
        .expect(200)
        .json();
    let seat = items(&seats)
        .into_iter()
        .find(|m| m["person_id"] == w.ben.as_str())
        .unwrap();
    app.patch(
        &format!("/api/v1/memberships/{}", id(&seat)),
        json!({"ends_on": date_from_now(-1)}),
    )
    .await
    .expect(200);

    app.get_as(member, &format!("/api/v1/groups/{}", w.frd))
        .await
        .problem(403);
    app.get_as(member, &format!("/api/v1/meetings/{}", w.upcoming))
        .await
        .problem(403);
    let groups = app
        .get_as(member, "/api/v1/groups")
        .await
        .expect(200)
        .json();
    assert_eq!(groups["items"], json!([]));
    // Their own record is still theirs to read.
    app.get_as(member, &format!("/api/v1/people/{}", w.ben))
        .await
        .expect(200);
}

#[tokio::test]
async fn a_member_token_must_speak_for_a_person_and_secrets_are_shown_only_once() {
    let app = spawn_app().await;
    let before = app.counts().await;
    let problem = app
        .post(
            "/api/v1/tokens",
            json!({"name": "Nobody", "role": "member"}),
        )
        .await
        .problem(422);
    assert_eq!(crate::helpers::fields(&problem), ["person_id"]);
    assert_eq!(app.counts().await, before);

    let issued = app
        .post(
            "/api/v1/tokens",
            json!({"name": "Second secretariat", "role": "secretariat"}),
        )
        .await
        .expect(201)
        .json();
    let secret = issued["token"].as_str().unwrap();
    assert!(secret.starts_with("mb_") && secret.len() == 67);
    let listed = app.get("/api/v1/tokens").await.expect(200);
    let text = String::from_utf8_lossy(&listed.body);
    assert!(!text.contains(secret), "secrets are never listed");
    assert!(!text.contains("hash"), "nor their hashes");
    // The new token works at once.
    app.get_as(secret, "/api/v1/organisations")
        .await
        .expect(200);
}
