//! `minutebook seed-demo`: a realistic year of RR3 and two of its special interest
//! groups, so that a newcomer sees a living system at once.
//!
//! Everything is made through the same service functions the API uses, so the demo
//! data obeys every rule (numbers, references, lifecycles) and is audited as the work
//! of a "Demonstration data" token, which is revoked when seeding ends.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use uuid::Uuid;

use crate::auth::Caller;
use crate::domain::{
    ActionStatus, AgendaItemKind, AttendanceRole, AttendanceStatus, Attribution, GroupKind,
    MeetingMode, MembershipRole, NoteAudience, OrganisationKind, Role, Visibility,
};
use crate::notes::content::{NoteContent, NoteItem, Point};
use crate::service::actions::{self, ActionChanges, NewAction, Owner};
use crate::service::agenda::{self, NewAgendaItem};
use crate::service::attendance::{self, AttendanceChanges};
use crate::service::groups::{self, NewGroup};
use crate::service::meetings::{self, NewMeeting};
use crate::service::memberships::{self, NewMembership};
use crate::service::notes::{self, NoteInput};
use crate::service::organisations::{self, NewOrganisation};
use crate::service::people::{self, NewPerson};
use crate::service::tokens;

/// What was made, for the command's output.
#[derive(Debug, Default)]
pub struct Seeded {
    pub organisations: usize,
    pub people: usize,
    pub groups: usize,
    pub meetings: usize,
    pub actions: usize,
    pub notes: usize,
    /// The first secretariat person, to sign in as.
    pub secretariat_person: Option<(String, uuid::Uuid)>,
}

impl std::fmt::Display for Seeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Demonstration data added: {} organisations, {} people, {} groups, {} meetings, {} actions, \
             {} published summary notes.",
            self.organisations, self.people, self.groups, self.meetings, self.actions, self.notes
        )?;
        if let Some((name, id)) = &self.secretariat_person {
            write!(
                f,
                "\nSign in to the secretariat's workspace as {name}: \
                 minutebook sign-in-link create --person {id}"
            )?;
        }
        Ok(())
    }
}

/// 10:00–12:00 (or the given hours) London time on `date`, in UTC.
fn london(date: (i32, u32, u32), from: u32, to: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |hour| {
        London
            .with_ymd_and_hms(date.0, date.1, date.2, hour, 0, 0)
            .single()
            .expect("an unambiguous London time")
            .with_timezone(&Utc)
    };
    (at(from), at(to))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

struct Directory {
    orgs: Vec<(&'static str, Uuid)>,
    people: Vec<(&'static str, Uuid)>,
}

impl Directory {
    fn org(&self, name: &str) -> Uuid {
        self.orgs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
            .expect("a seeded organisation")
    }
    fn person(&self, name: &str) -> Uuid {
        self.people
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
            .expect("a seeded person")
    }
}

const ORGANISATIONS: &[(&str, OrganisationKind, &str)] = &[
    (
        "Clinks",
        OrganisationKind::Secretariat,
        "https://www.clinks.org",
    ),
    (
        "Nacro",
        OrganisationKind::VoluntarySector,
        "https://www.nacro.org.uk",
    ),
    (
        "Catch22",
        OrganisationKind::VoluntarySector,
        "https://www.catch-22.org.uk",
    ),
    (
        "St Giles Trust",
        OrganisationKind::VoluntarySector,
        "https://www.stgilestrust.org.uk",
    ),
    (
        "Women in Prison",
        OrganisationKind::VoluntarySector,
        "https://womeninprison.org.uk",
    ),
    (
        "Prison Reform Trust",
        OrganisationKind::VoluntarySector,
        "https://prisonreformtrust.org.uk",
    ),
    (
        "Revolving Doors",
        OrganisationKind::VoluntarySector,
        "https://revolving-doors.org.uk",
    ),
    (
        "Prisoners' Education Trust",
        OrganisationKind::VoluntarySector,
        "https://www.prisonerseducation.org.uk",
    ),
    (
        "Khulisa",
        OrganisationKind::VoluntarySector,
        "https://www.khulisa.co.uk",
    ),
    (
        "Shelter",
        OrganisationKind::VoluntarySector,
        "https://england.shelter.org.uk",
    ),
    (
        "Ministry of Justice",
        OrganisationKind::Moj,
        "https://www.gov.uk/government/organisations/ministry-of-justice",
    ),
    (
        "HM Prison and Probation Service",
        OrganisationKind::Hmpps,
        "https://www.gov.uk/government/organisations/her-majestys-prison-and-probation-service",
    ),
    (
        "University of Leicester",
        OrganisationKind::Academic,
        "https://le.ac.uk",
    ),
];

/// (name, email, job title, organisation)
const PEOPLE: &[(&str, &str, &str, &str)] = &[
    (
        "Rachel Okonjo",
        "rachel.okonjo@clinks.example",
        "Policy Manager",
        "Clinks",
    ),
    (
        "Tom Whitfield",
        "tom.whitfield@clinks.example",
        "Policy and Networks Officer",
        "Clinks",
    ),
    (
        "Amara Okafor",
        "amara.okafor@nacro.example",
        "Chief Executive",
        "Nacro",
    ),
    (
        "James Hartley",
        "james.hartley@catch22.example",
        "Director of Justice Services",
        "Catch22",
    ),
    (
        "Priya Raman",
        "priya.raman@stgiles.example",
        "Head of Policy",
        "St Giles Trust",
    ),
    (
        "Siobhan O'Connor",
        "siobhan.oconnor@wip.example",
        "Director of Campaigns",
        "Women in Prison",
    ),
    (
        "Fiona MacLeod",
        "fiona.macleod@prt.example",
        "Director of Policy",
        "Prison Reform Trust",
    ),
    (
        "Daniel Hughes",
        "daniel.hughes@revolving.example",
        "Chief Executive",
        "Revolving Doors",
    ),
    (
        "Helen Marsh",
        "helen.marsh@pet.example",
        "Head of Policy",
        "Prisoners' Education Trust",
    ),
    (
        "Joseph Adeyemi",
        "joseph.adeyemi@khulisa.example",
        "Director of Programmes",
        "Khulisa",
    ),
    (
        "Zoë Lambert",
        "zoe.lambert@shelter.example",
        "Senior Policy Officer, Criminal Justice",
        "Shelter",
    ),
    (
        "Marcus Bell",
        "marcus.bell@nacro.example",
        "Head of Housing Services",
        "Nacro",
    ),
    (
        "Gareth Pryce",
        "gareth.pryce@justice.example",
        "Deputy Director, Prison Policy",
        "Ministry of Justice",
    ),
    (
        "Nadia Farouk",
        "nadia.farouk@justice.example",
        "Head of Third Sector Partnerships",
        "Ministry of Justice",
    ),
    (
        "Carys Hughes",
        "carys.hughes@hmpps.example",
        "Deputy Director, Probation Reform",
        "HM Prison and Probation Service",
    ),
    (
        "Oliver Grant",
        "oliver.grant@hmpps.example",
        "Head of Regime Design",
        "HM Prison and Probation Service",
    ),
    (
        "Dr Leah Moran",
        "leah.moran@le.example",
        "Associate Professor of Criminology",
        "University of Leicester",
    ),
    (
        "Ruth Ellison",
        "ruth.ellison@catch22.example",
        "Head of Resettlement",
        "Catch22",
    ),
    (
        "Kwame Asante",
        "kwame.asante@stgiles.example",
        "Peer Advisor Lead",
        "St Giles Trust",
    ),
    (
        "Hannah Price",
        "hannah.price@wip.example",
        "Policy Officer",
        "Women in Prison",
    ),
];

/// Fills an empty database with a year of RR3 and two SIGs.
pub async fn seed(db: &DatabaseConnection) -> anyhow::Result<Seeded> {
    if entity::group::Entity::find().count(db).await? > 0 {
        anyhow::bail!(
            "the database already holds groups; seed-demo fills an empty database \
             (use --database-url to name a new one)"
        );
    }
    let issued =
        tokens::issue_from_command_line(db, Role::Secretariat, None, "Demonstration data").await?;
    let caller = Caller {
        token_id: issued.token.id,
        name: issued.token.name.clone(),
        role: Role::Secretariat,
        person_id: None,
        stamp: None,
    };
    let result = seed_with(db, &caller).await;
    // The seeding token is not for anyone to use afterwards.
    tokens::revoke(db, &caller, issued.token.id).await?;
    result
}

async fn seed_with(db: &DatabaseConnection, caller: &Caller) -> anyhow::Result<Seeded> {
    let mut seeded = Seeded::default();
    let mut dir = Directory {
        orgs: vec![],
        people: vec![],
    };
    for (name, kind, website) in ORGANISATIONS {
        let org = organisations::create(
            db,
            caller,
            NewOrganisation {
                name: (*name).into(),
                kind: *kind,
                website: Some((*website).into()),
            },
        )
        .await?;
        dir.orgs.push((name, org.id));
    }
    for (name, email, title, org) in PEOPLE {
        let person = people::create(
            db,
            caller,
            NewPerson {
                name: (*name).into(),
                email: Some((*email).into()),
                job_title: Some((*title).into()),
                organisation_id: Some(dir.org(org)),
                secretariat_access: *org == "Clinks",
            },
        )
        .await?;
        if person.secretariat_access && seeded.secretariat_person.is_none() {
            seeded.secretariat_person = Some((person.name.clone(), person.id));
        }
        dir.people.push((name, person.id));
    }
    seeded.organisations = dir.orgs.len();
    seeded.people = dir.people.len();

    let rr3 = groups::create(db, caller, NewGroup {
        kind: GroupKind::Rr3,
        parent_id: None,
        name: "Reducing Reoffending Third Sector Advisory Group".into(),
        short_name: "RR3".into(),
        remit: Some("To advise the Ministry of Justice and HM Prison and Probation Service on how the voluntary sector can help reduce reoffending, and to bring the sector's evidence and the voices of people with lived experience to policy.".into()),
        about: Some("The Reducing Reoffending Third Sector Advisory Group (RR3) is a formal group of senior leaders from voluntary sector organisations working in criminal justice. It provides advice to the Ministry of Justice (MoJ) and HM Prison and Probation Service (HMPPS) on policy and practice affecting people in contact with the criminal justice system. RR3 is chaired and its secretariat provided by Clinks.\n\nRR3 meets quarterly and sets up special interest groups (SIGs) on particular themes. Its summary notes are published once agreed.".into()),
        status: None,
    }).await?;
    let frd = groups::create(db, caller, NewGroup {
        kind: GroupKind::Sig,
        parent_id: Some(rr3.id),
        name: "Future Regime Design SIG".into(),
        short_name: "FRD".into(),
        remit: Some("To give the voluntary sector's view on the principles, evidence and delivery of future prison regimes, including purposeful activity, time out of cell and family contact, and to report to RR3 by March 2027.".into()),
        about: Some("The Future Regime Design special interest group brings RR3 members and co-opted experts together to advise HMPPS on how daily prison regimes should be designed.".into()),
        status: None,
    }).await?;
    let acc = groups::create(db, caller, NewGroup {
        kind: GroupKind::Sig,
        parent_id: Some(rr3.id),
        name: "Accommodation SIG".into(),
        short_name: "ACC".into(),
        remit: Some("To advise on accommodation for people leaving prison, including the Community Accommodation Service and duty-to-refer arrangements.".into()),
        about: Some("The Accommodation special interest group looks at how people leaving prison find and keep a safe place to live.".into()),
        status: None,
    }).await?;
    seeded.groups = 3;

    let join = |group: Uuid, person: &'static str, role: MembershipRole, starts: NaiveDate| {
        let person = dir.person(person);
        async move {
            memberships::create(
                db,
                caller,
                group,
                NewMembership {
                    person_id: person,
                    role,
                    starts_on: starts,
                    ends_on: None,
                    organisation_id: None,
                },
            )
            .await
        }
    };
    let year_start = day(2026, 1, 1);
    use MembershipRole::*;
    for (name, role) in [
        ("Amara Okafor", Chair),
        ("James Hartley", Member),
        ("Priya Raman", Member),
        ("Siobhan O'Connor", Member),
        ("Fiona MacLeod", Member),
        ("Daniel Hughes", Member),
        ("Helen Marsh", Member),
        ("Joseph Adeyemi", Member),
        ("Zoë Lambert", Member),
        ("Gareth Pryce", Official),
        ("Nadia Farouk", Official),
        ("Carys Hughes", Official),
        ("Rachel Okonjo", Secretariat),
        ("Tom Whitfield", Secretariat),
    ] {
        join(rr3.id, name, role, year_start).await?;
    }
    let sig_start = day(2026, 5, 1);
    for (name, role) in [
        ("Fiona MacLeod", Chair),
        ("Amara Okafor", Sponsor),
        ("Helen Marsh", Sponsor),
        ("Siobhan O'Connor", Member),
        ("Joseph Adeyemi", Member),
        ("Dr Leah Moran", CoOpted),
        ("Hannah Price", CoOpted),
        ("Oliver Grant", Official),
        ("Tom Whitfield", Secretariat),
    ] {
        join(frd.id, name, role, sig_start).await?;
    }
    for (name, role) in [
        ("Zoë Lambert", Chair),
        ("Priya Raman", Sponsor),
        ("Daniel Hughes", Sponsor),
        ("Marcus Bell", CoOpted),
        ("Ruth Ellison", CoOpted),
        ("Kwame Asante", Member),
        ("Carys Hughes", Official),
        ("Rachel Okonjo", Secretariat),
    ] {
        join(acc.id, name, role, sig_start).await?;
    }

    let schedule = |group: Uuid, title: &str, date: (i32, u32, u32), mode: MeetingMode| {
        let (starts_at, ends_at) = london(date, 10, 12);
        let new = NewMeeting {
            title: title.to_owned(),
            starts_at,
            ends_at,
            time_zone: Some("Europe/London".into()),
            mode,
            location: matches!(mode, MeetingMode::InPerson | MeetingMode::Hybrid)
                .then(|| "102 Petty France, London SW1H 9AJ".to_owned()),
            joining_link: matches!(mode, MeetingMode::Online | MeetingMode::Hybrid)
                .then(|| "https://teams.example.org/l/meetup-join/rr3".to_owned()),
        };
        async move { meetings::schedule(db, caller, group, new).await }
    };

    /// (description, owner person, owner in words, due, status it reached)
    type PlannedAction = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<(i32, u32, u32)>,
        ActionStatus,
    );
    struct Plan {
        group: Uuid,
        title: &'static str,
        date: (i32, u32, u32),
        mode: MeetingMode,
        items: &'static [(
            &'static str,
            AgendaItemKind,
            Option<&'static str>,
            Visibility,
        )],
        actions: &'static [PlannedAction],
    }
    const RR3_ITEMS: &[(&str, AgendaItemKind, Option<&str>, Visibility)] = &[
        (
            "Welcome, introductions and apologies",
            AgendaItemKind::Welcome,
            Some("Amara Okafor, Chair"),
            Visibility::Public,
        ),
        (
            "Probation reform: update from HMPPS",
            AgendaItemKind::Presentation,
            Some("Carys Hughes, HMPPS"),
            Visibility::Public,
        ),
        (
            "Voluntary sector funding pressures",
            AgendaItemKind::Discussion,
            None,
            Visibility::Members,
        ),
        (
            "Secretariat planning for the next quarter",
            AgendaItemKind::Update,
            Some("Rachel Okonjo, Clinks"),
            Visibility::Secretariat,
        ),
        (
            "Any other business",
            AgendaItemKind::Aob,
            None,
            Visibility::Public,
        ),
    ];
    const FRD_ITEMS: &[(&str, AgendaItemKind, Option<&str>, Visibility)] = &[
        (
            "Welcome and apologies",
            AgendaItemKind::Welcome,
            Some("Fiona MacLeod, Chair"),
            Visibility::Public,
        ),
        (
            "Regime design principles: emerging thinking",
            AgendaItemKind::Presentation,
            Some("Oliver Grant, HMPPS"),
            Visibility::Public,
        ),
        (
            "Time out of cell and purposeful activity",
            AgendaItemKind::Discussion,
            None,
            Visibility::Public,
        ),
        (
            "Drafting the SIG's report to RR3",
            AgendaItemKind::Discussion,
            None,
            Visibility::Members,
        ),
        (
            "Any other business",
            AgendaItemKind::Aob,
            None,
            Visibility::Public,
        ),
    ];
    const ACC_ITEMS: &[(&str, AgendaItemKind, Option<&str>, Visibility)] = &[
        (
            "Welcome and apologies",
            AgendaItemKind::Welcome,
            Some("Zoë Lambert, Chair"),
            Visibility::Public,
        ),
        (
            "Community Accommodation Service: what the data show",
            AgendaItemKind::Presentation,
            Some("Carys Hughes, HMPPS"),
            Visibility::Public,
        ),
        (
            "Duty to refer on release: members' experience",
            AgendaItemKind::Discussion,
            None,
            Visibility::Public,
        ),
        (
            "Any other business",
            AgendaItemKind::Aob,
            None,
            Visibility::Public,
        ),
    ];
    use ActionStatus::*;
    let plans = [
        Plan {
            group: rr3.id,
            title: "Quarterly meeting: probation reform and funding",
            date: (2026, 1, 22),
            mode: MeetingMode::InPerson,
            items: RR3_ITEMS,
            actions: &[
                (
                    "Share the probation reform timetable with members",
                    Some("Carys Hughes"),
                    None,
                    Some((2026, 2, 20)),
                    Done,
                ),
                (
                    "Collect members' evidence on grant funding delays",
                    None,
                    Some("Secretariat"),
                    Some((2026, 3, 31)),
                    Done,
                ),
            ],
        },
        Plan {
            group: rr3.id,
            title: "Quarterly meeting: sentencing review and the voluntary sector",
            date: (2026, 4, 23),
            mode: MeetingMode::Hybrid,
            items: RR3_ITEMS,
            actions: &[
                (
                    "Set up a special interest group on future regime design",
                    None,
                    Some("Secretariat"),
                    Some((2026, 5, 31)),
                    Done,
                ),
                (
                    "Provide data on voluntary sector contracts in probation",
                    Some("Nadia Farouk"),
                    None,
                    Some((2026, 6, 30)),
                    InProgress,
                ),
            ],
        },
        Plan {
            group: rr3.id,
            title: "Quarterly meeting: accommodation on release",
            date: (2026, 7, 16),
            mode: MeetingMode::Online,
            items: RR3_ITEMS,
            actions: &[(
                "Write to HMPPS on housing outcomes for women leaving prison",
                Some("Siobhan O'Connor"),
                None,
                Some((2026, 9, 1)),
                Open,
            )],
        },
        Plan {
            group: rr3.id,
            title: "Quarterly meeting: the year ahead",
            date: (2026, 10, 15),
            mode: MeetingMode::InPerson,
            items: RR3_ITEMS,
            actions: &[
                (
                    "Circulate the draft RR3 workplan for 2027",
                    Some("Rachel Okonjo"),
                    None,
                    Some((2026, 11, 13)),
                    Open,
                ),
                (
                    "Nominate members for the HMPPS commissioning panel",
                    None,
                    Some("All members"),
                    Some((2026, 12, 4)),
                    Open,
                ),
            ],
        },
        Plan {
            group: rr3.id,
            title: "Quarterly meeting: January 2027",
            date: (2027, 1, 21),
            mode: MeetingMode::Hybrid,
            items: RR3_ITEMS,
            actions: &[],
        },
        Plan {
            group: frd.id,
            title: "Regime design principles",
            date: (2026, 9, 10),
            mode: MeetingMode::Online,
            items: FRD_ITEMS,
            actions: &[(
                "Send the draft regime principles to SIG members",
                Some("Oliver Grant"),
                None,
                Some((2026, 9, 24)),
                Done,
            )],
        },
        Plan {
            group: frd.id,
            title: "Purposeful activity and education",
            date: (2026, 10, 8),
            mode: MeetingMode::Online,
            items: FRD_ITEMS,
            actions: &[
                (
                    "Gather evidence on education access for women in prison",
                    Some("Hannah Price"),
                    None,
                    Some((2026, 11, 5)),
                    InProgress,
                ),
                (
                    "Share findings from the time-out-of-cell study",
                    Some("Dr Leah Moran"),
                    None,
                    Some((2026, 10, 29)),
                    Open,
                ),
            ],
        },
        Plan {
            group: frd.id,
            title: "Family contact and visits",
            date: (2026, 11, 5),
            mode: MeetingMode::Hybrid,
            items: FRD_ITEMS,
            actions: &[(
                "Draft the family contact section of the SIG report",
                Some("Helen Marsh"),
                None,
                Some((2026, 12, 3)),
                Open,
            )],
        },
        Plan {
            group: frd.id,
            title: "Drafting the report to RR3",
            date: (2026, 12, 3),
            mode: MeetingMode::Online,
            items: FRD_ITEMS,
            actions: &[],
        },
        Plan {
            group: acc.id,
            title: "Accommodation on release: the picture now",
            date: (2026, 6, 11),
            mode: MeetingMode::Online,
            items: ACC_ITEMS,
            actions: &[(
                "Share regional Community Accommodation Service figures",
                Some("Carys Hughes"),
                None,
                Some((2026, 7, 31)),
                Done,
            )],
        },
        Plan {
            group: acc.id,
            title: "Duty to refer",
            date: (2026, 9, 17),
            mode: MeetingMode::Online,
            items: ACC_ITEMS,
            actions: &[(
                "Collect case studies of duty-to-refer failures",
                None,
                Some("Shelter and Nacro"),
                Some((2026, 10, 30)),
                Open,
            )],
        },
        Plan {
            group: acc.id,
            title: "Women's accommodation",
            date: (2026, 12, 10),
            mode: MeetingMode::Online,
            items: ACC_ITEMS,
            actions: &[],
        },
    ];

    let now = Utc::now();
    let mut held = Vec::new();
    for (index, plan) in plans.iter().enumerate() {
        let meeting = schedule(plan.group, plan.title, plan.date, plan.mode).await?;
        seeded.meetings += 1;
        let mut presentation = None;
        let mut covered = Vec::new();
        for (title, kind, presenter, visibility) in plan.items {
            let item = agenda::add(
                db,
                caller,
                meeting.id,
                NewAgendaItem {
                    title: (*title).into(),
                    kind: *kind,
                    presenter_person_id: None,
                    presenter: presenter.map(str::to_owned),
                    duration_minutes: Some(if *kind == AgendaItemKind::Presentation {
                        30
                    } else {
                        15
                    }),
                    visibility: *visibility,
                    notes: None,
                    position: None,
                },
            )
            .await?;
            if *kind == AgendaItemKind::Presentation {
                presentation = Some(item.id);
            }
            if matches!(
                kind,
                AgendaItemKind::Presentation | AgendaItemKind::Discussion
            ) {
                covered.push((item.id, *kind, *title));
            }
        }
        let invited = attendance::invite_members(db, caller, meeting.id).await?;
        if meeting.starts_at > now {
            // Upcoming: a few people have answered already.
            for (n, line) in invited.invited.iter().enumerate() {
                let (status, reason) = match n % 5 {
                    0 | 2 => (AttendanceStatus::Accepted, None),
                    3 => (
                        AttendanceStatus::Apologies,
                        Some("Attending a trustee board".to_owned()),
                    ),
                    _ => continue,
                };
                attendance::update(
                    db,
                    caller,
                    line.attendance.id,
                    None,
                    AttendanceChanges {
                        status: Some(status),
                        reason: Some(reason),
                        role: None,
                    },
                )
                .await?;
            }
            continue;
        }
        for (n, line) in invited.invited.iter().enumerate() {
            let (status, reason) = match (n + index) % 6 {
                4 => (AttendanceStatus::Apologies, Some("Unwell".to_owned())),
                5 => (AttendanceStatus::Absent, None),
                _ => (AttendanceStatus::Attended, None),
            };
            attendance::update(
                db,
                caller,
                line.attendance.id,
                None,
                AttendanceChanges {
                    status: Some(status),
                    reason: Some(reason),
                    role: None,
                },
            )
            .await?;
        }
        // An official from the MoJ joins RR3 meetings as a guest presenter.
        if plan.group == rr3.id {
            let guest = attendance::invite(
                db,
                caller,
                meeting.id,
                dir.person("Oliver Grant"),
                Some(AttendanceRole::Presenter),
            )
            .await?;
            attendance::update(
                db,
                caller,
                guest.attendance.id,
                None,
                AttendanceChanges {
                    status: Some(AttendanceStatus::Attended),
                    ..Default::default()
                },
            )
            .await?;
        }
        for (description, person, text, due, status) in plan.actions {
            let action = actions::create(
                db,
                caller,
                meeting.id,
                NewAction {
                    description: (*description).into(),
                    owner: Owner {
                        person_id: person.map(|p| dir.person(p)),
                        organisation_id: None,
                        text: text.map(str::to_owned),
                    },
                    due_on: due.map(|(y, m, d)| day(y, m, d)),
                    agenda_item_id: presentation,
                },
            )
            .await?;
            seeded.actions += 1;
            if *status != Open {
                actions::update(
                    db,
                    caller,
                    action.id,
                    None,
                    ActionChanges {
                        status: Some(*status),
                        note: Some(match status {
                            Done => "Completed and reported at the next meeting".into(),
                            _ => "Work has started; an update is due at the next meeting".into(),
                        }),
                        ..Default::default()
                    },
                )
                .await?;
            }
        }
        meetings::mark_held(db, caller, meeting.id, None).await?;
        held.push((plan.group, meeting, covered));
    }

    // Summary notes: published for every held meeting but the last of each group,
    // whose note is still going round (RR3's circulated for comment, the SIGs'
    // approved and waiting to be published).
    for (index, (group, meeting, covered)) in held.iter().enumerate() {
        let last_of_group = !held[index + 1..].iter().any(|(g, _, _)| g == group);
        let content = demo_note(meeting.title.as_str(), covered);
        notes::save(
            db,
            caller,
            meeting.id,
            None,
            NoteInput {
                second_meeting_id: None,
                attribution: Some(Attribution::NonAttributed),
                content,
            },
        )
        .await?;
        let local_day = meeting.starts_at.with_timezone(&London).date_naive();
        notes::circulate(
            db,
            caller,
            meeting.id,
            None,
            local_day + chrono::Duration::days(14),
        )
        .await?;
        if last_of_group && *group == rr3.id {
            continue;
        }
        notes::approve(db, caller, meeting.id, None).await?;
        if last_of_group {
            continue;
        }
        let audience = if *group == rr3.id {
            NoteAudience::Public
        } else {
            NoteAudience::Members
        };
        notes::publish(db, caller, meeting.id, None, audience).await?;
        seeded.notes += 1;
    }
    Ok(seeded)
}

/// A plausible summary note for a demonstration meeting: collective points, no member
/// named, as the secretariat writes them.
fn demo_note(title: &str, covered: &[(Uuid, AgendaItemKind, &str)]) -> NoteContent {
    let items = covered
        .iter()
        .map(|(id, kind, item_title)| NoteItem {
            agenda_item_id: *id,
            summary: Some(match kind {
                AgendaItemKind::Presentation => format!(
                    "Officials presented \u{201c}{item_title}\u{201d} and took questions from members."
                ),
                _ => format!("Members discussed {}.", item_title.to_lowercase()),
            }),
            discussion: [
                "Members welcomed the early sight of officials' thinking and asked to see the evidence behind it.",
                "Several members raised the pressure on small voluntary organisations, whose grants have not kept pace with costs.",
                "Members stressed that people with lived experience should be involved before decisions are made, not after.",
                "Some members asked how the approach would work for women and for people held far from home.",
            ]
            .iter()
            .map(|text| Point {
                text: (*text).to_owned(),
                speaker_person_id: None,
            })
            .collect(),
            officials_response: (*kind == AgendaItemKind::Presentation).then(|| {
                "Officials thanked members for their views, agreed to share the evidence base and said the points raised would inform the next stage of the work.".to_owned()
            }),
            agreed: vec![
                "The secretariat will collate members' written comments within two weeks.".to_owned(),
            ],
        })
        .collect();
    NoteContent {
        purpose: Some(format!(
            "To discuss {} and to give officials the voluntary sector's view.",
            title.to_lowercase()
        )),
        items,
        key_issues: vec![
            "Funding for voluntary sector services has not kept pace with demand or costs.".to_owned(),
            "The sector's expertise is most useful when it is sought early, while policy is still being formed.".to_owned(),
        ],
        next_steps: vec![
            "The secretariat will circulate this note for comment and publish it once agreed.".to_owned(),
            "Members will send further evidence to the secretariat before the next meeting.".to_owned(),
        ],
        aob: Some("No other business was raised.".to_owned()),
        next_meeting: None,
    }
}
