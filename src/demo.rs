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
        // The agenda's presentation and discussion items carry the titles of
        // what this meeting's note records under them.
        let written = DEMO_NOTES.iter().find(|n| n.meeting == plan.title);
        for (standing_title, kind, presenter, visibility) in plan.items {
            let title = match kind {
                AgendaItemKind::Presentation | AgendaItemKind::Discussion => written
                    .and_then(|note| note.items.get(covered.len()))
                    .map_or(*standing_title, |item| item.title),
                _ => *standing_title,
            };
            let item = agenda::add(
                db,
                caller,
                meeting.id,
                NewAgendaItem {
                    title: title.into(),
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
                covered.push((item.id, *kind, title));
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
        // Whoever the agenda names as presenting came to present.
        let presenters: Vec<Uuid> = plan
            .items
            .iter()
            .filter_map(|(_, _, presenter, _)| *presenter)
            .filter_map(|text| text.split(',').next())
            .filter_map(|name| dir.people.iter().find(|(n, _)| *n == name.trim()))
            .map(|(_, id)| *id)
            .collect();
        for (n, line) in invited.invited.iter().enumerate() {
            let (status, reason) = match (n + index) % 6 {
                _ if presenters.contains(&line.attendance.person_id) => {
                    (AttendanceStatus::Attended, None)
                }
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

/// What the secretariat wrote about one agenda item of a demonstration meeting.
struct DemoItem {
    /// The agenda item's title at this meeting.
    title: &'static str,
    summary: &'static str,
    discussion: &'static [&'static str],
    officials_response: Option<&'static str>,
    agreed: &'static [&'static str],
}

/// The note of one demonstration meeting, keyed by the meeting's title.
struct DemoNote {
    meeting: &'static str,
    purpose: &'static str,
    /// One per presentation or discussion item, in agenda order.
    items: &'static [DemoItem],
    key_issues: &'static [&'static str],
    next_steps: &'static [&'static str],
    aob: &'static str,
}

/// Notes as a secretariat writes them: collective points, no member named,
/// each item its own.
const DEMO_NOTES: &[DemoNote] = &[
    DemoNote {
        meeting: "Quarterly meeting: probation reform and funding",
        purpose: "To hear from HMPPS on the next stage of probation reform, and to discuss the funding pressures members face.",
        items: &[
            DemoItem {
                title: "Probation reform: update from HMPPS",
                summary: "HMPPS set out the timetable for bringing probation services together in each region, and where commissioned rehabilitative services fit.",
                discussion: &[
                    "Members welcomed the earlier engagement but asked that contract changes be announced at least six months ahead, so that staff are not lost in the meantime.",
                    "Several members asked how specialist services for women would be protected when contracts are combined by region.",
                    "Members asked for the evaluation of the current contracts to be published before decisions are made.",
                ],
                officials_response: Some(
                    "Officials agreed to share the timetable with members and said the evaluation would be published in the spring.",
                ),
                agreed: &["Members will send examples of services at risk to the secretariat."],
            },
            DemoItem {
                title: "Voluntary sector funding pressures",
                summary: "Members described the pressures on their organisations since the last funding round.",
                discussion: &[
                    "Grants have not risen with costs: several members reported cutting posts to keep services open.",
                    "Late decisions on renewals leave organisations issuing redundancy notices they may later withdraw.",
                    "Smaller organisations struggle to meet the cost of bidding for short contracts.",
                ],
                officials_response: None,
                agreed: &[
                    "The secretariat will collect members’ evidence on delayed grant decisions.",
                ],
            },
        ],
        key_issues: &[
            "Contract changes need long notice to keep experienced staff.",
            "Specialist services for women must be protected in regional contracts.",
        ],
        next_steps: &[
            "The secretariat will write to HMPPS with members’ evidence on funding delays.",
        ],
        aob: "Members noted the retirement of the group’s longest-serving member and thanked her for her work.",
    },
    DemoNote {
        meeting: "Quarterly meeting: sentencing review and the voluntary sector",
        purpose: "To discuss what the sentencing review means for community sentences and for the voluntary organisations that deliver them.",
        items: &[
            DemoItem {
                title: "Sentencing review: what it means for community sentences",
                summary: "HMPPS outlined how more community sentences would change demand for probation and for partner organisations.",
                discussion: &[
                    "Members asked whether funding would follow the expected rise in community orders.",
                    "Members stressed that unpaid work placements depend on local charities, many of them already full.",
                    "Some members raised the risk that people with complex needs are set up to fail by conditions they cannot meet.",
                ],
                officials_response: Some(
                    "Officials said modelling of demand was under way and agreed to share it with the group when it is published.",
                ),
                agreed: &[
                    "The group will set up a special interest group on future regime design.",
                ],
            },
            DemoItem {
                title: "A joint response from the sector",
                summary: "Members discussed how the sector can respond to the review as a whole.",
                discussion: &[
                    "Members agreed that a joint response carries more weight than many separate ones.",
                    "People with lived experience should shape the response, and be paid for their time.",
                    "Members asked the secretariat to map which organisations deliver community sentence requirements.",
                ],
                officials_response: None,
                agreed: &[
                    "Members will contribute to a joint response co-ordinated by the secretariat.",
                ],
            },
        ],
        key_issues: &[
            "Funding must follow any rise in community sentences.",
            "Local charities’ capacity limits what community orders can require.",
        ],
        next_steps: &["The secretariat will draft the joint response and circulate it to members."],
        aob: "None.",
    },
    DemoNote {
        meeting: "Quarterly meeting: accommodation on release",
        purpose: "To hear how many people leave prison without a settled place to live, and what the voluntary sector sees on the ground.",
        items: &[
            DemoItem {
                title: "Accommodation on release: the latest figures",
                summary: "HMPPS presented the latest figures on accommodation on the first night after release.",
                discussion: &[
                    "Members were concerned that the figures count a first night but not whether the place lasts.",
                    "Women leaving prison are more often placed far from children and support.",
                    "Members asked for figures by prison, so that local partners can target help.",
                ],
                officials_response: Some(
                    "Officials agreed to look at publishing figures by prison and at measuring accommodation after three months.",
                ),
                agreed: &[
                    "A member will write to HMPPS on housing outcomes for women leaving prison.",
                ],
            },
            DemoItem {
                title: "What members see on release",
                summary: "Members shared what they see when people are released without accommodation.",
                discussion: &[
                    "Friday releases leave people without help over the weekend.",
                    "Councils’ duty to refer is applied unevenly between areas.",
                    "Members asked that the Accommodation SIG take up the duty to refer in detail.",
                ],
                officials_response: None,
                agreed: &[
                    "The Accommodation SIG will look at the duty to refer at its next meeting.",
                ],
            },
        ],
        key_issues: &[
            "Accommodation should be measured beyond the first night.",
            "Friday releases undermine resettlement.",
        ],
        next_steps: &["The Accommodation SIG will report its findings to the group."],
        aob: "None.",
    },
    DemoNote {
        meeting: "Quarterly meeting: the year ahead",
        purpose: "To agree the group’s priorities for 2027 and hear HMPPS’s plans for commissioning.",
        items: &[
            DemoItem {
                title: "HMPPS commissioning plans for 2027",
                summary: "HMPPS described its commissioning plans for 2027 and the role it sees for the voluntary sector.",
                discussion: &[
                    "Members welcomed longer contracts but asked that they include uplifts for inflation.",
                    "Members asked to sit on the panels that design new services, not only to bid for them.",
                    "Members raised the cost to small organisations of meeting new data requirements.",
                ],
                officials_response: Some(
                    "Officials invited members to nominate representatives for the commissioning panel.",
                ),
                agreed: &[
                    "Members will nominate representatives for the HMPPS commissioning panel.",
                ],
            },
            DemoItem {
                title: "The group’s workplan for 2027",
                summary: "Members discussed the group’s workplan for the coming year.",
                discussion: &[
                    "Members proposed three priorities: funding stability, accommodation, and the future prison regime.",
                    "The special interest groups should report to the full group at each quarterly meeting.",
                    "Members asked for more time at meetings for discussion and less for updates.",
                ],
                officials_response: None,
                agreed: &["The secretariat will circulate a draft workplan for 2027."],
            },
        ],
        key_issues: &[
            "Contracts need inflation uplifts to be sustainable.",
            "The sector should help design services, not only deliver them.",
        ],
        next_steps: &["Members will comment on the draft workplan before the January meeting."],
        aob: "None.",
    },
    DemoNote {
        meeting: "Regime design principles",
        purpose: "To hear HMPPS’s emerging principles for the design of daily prison regimes and give members’ first views.",
        items: &[
            DemoItem {
                title: "Regime design principles: emerging thinking",
                summary: "HMPPS presented six draft principles, from time out of cell to family contact, and asked for members’ views.",
                discussion: &[
                    "Members welcomed the aim of a predictable daily routine that people can plan around.",
                    "Members asked how the principles would apply in prisons short of staff.",
                    "The principles should say how people in prison will be consulted on them.",
                ],
                officials_response: Some(
                    "Officials agreed to send the draft principles to members and to test them with people in prison.",
                ),
                agreed: &["HMPPS will send the draft principles to members."],
            },
            DemoItem {
                title: "Time out of cell and purposeful activity",
                summary: "Members discussed time out of cell as the measure that matters most to people in prison.",
                discussion: &[
                    "Members asked for time out of cell to be reported for each prison, each month.",
                    "Time unlocked is not the same as purposeful activity: both should be counted.",
                    "Evening and weekend regimes are where the gaps are widest.",
                ],
                officials_response: None,
                agreed: &["Members will share their evidence on time out of cell."],
            },
            DemoItem {
                title: "Drafting the SIG’s report to RR3",
                summary: "Members agreed how the group will draft its report.",
                discussion: &[
                    "Each sponsor will lead one chapter.",
                    "The report should be short, with recommendations HMPPS can act on.",
                ],
                officials_response: None,
                agreed: &["The sponsors will propose an outline at the next meeting."],
            },
        ],
        key_issues: &[
            "Time out of cell should be measured and published for each prison.",
            "Principles must hold in prisons short of staff.",
        ],
        next_steps: &[
            "Members will send comments on the draft principles within two weeks of receiving them.",
        ],
        aob: "None.",
    },
    DemoNote {
        meeting: "Purposeful activity and education",
        purpose: "To look at education, work and other purposeful activity in the future regime.",
        items: &[
            DemoItem {
                title: "Education and work in the new core day",
                summary: "HMPPS set out how education and work would be timetabled within the new core day.",
                discussion: &[
                    "Members welcomed protected time for education but asked how it would survive staff shortages.",
                    "Women in prison have fewer education options than men; members asked for this to be addressed.",
                    "Voluntary organisations could run more activity if access to prisons were simpler.",
                ],
                officials_response: Some(
                    "Officials agreed to look at how access for voluntary organisations could be made simpler.",
                ),
                agreed: &[
                    "A co-opted member will gather evidence on education for women in prison.",
                ],
            },
            DemoItem {
                title: "Findings from the time-out-of-cell study",
                summary: "Members heard early findings from a study of time out of cell in six prisons.",
                discussion: &[
                    "Time out of cell fell furthest at weekends.",
                    "Cancelled activities were seldom rescheduled.",
                    "Members asked for the full findings before the report is drafted.",
                ],
                officials_response: None,
                agreed: &["The study’s findings will be shared with members."],
            },
            DemoItem {
                title: "An outline of the report",
                summary: "The sponsors presented an outline of the report.",
                discussion: &[
                    "Members agreed the outline, with a chapter on family contact added.",
                    "The report should include what people in prison told the group.",
                ],
                officials_response: None,
                agreed: &["The sponsors will draft the first two chapters."],
            },
        ],
        key_issues: &[
            "Purposeful activity needs protecting when staff are short.",
            "Education for women in prison lags behind that for men.",
        ],
        next_steps: &["The sponsors will circulate the first chapters before the next meeting."],
        aob: "None.",
    },
    DemoNote {
        meeting: "Family contact and visits",
        purpose: "To discuss family contact, visits and video calls in the future regime.",
        items: &[
            DemoItem {
                title: "Visits and video calls",
                summary: "HMPPS described its plans for visits and secure video calls.",
                discussion: &[
                    "Members welcomed video calls as an addition to visits, not a replacement for them.",
                    "Visits booked weeks ahead and then cancelled cause families real hardship.",
                    "Children’s visits need suitable spaces and times outside school hours.",
                ],
                officials_response: Some(
                    "Officials said video calls would not replace visits and agreed to look at cancellations.",
                ),
                agreed: &["A sponsor will draft the family contact chapter of the report."],
            },
            DemoItem {
                title: "What families tell members",
                summary: "Members discussed what families tell their organisations.",
                discussion: &[
                    "The cost of travel to distant prisons stops many families visiting.",
                    "Families want one place to find out how to book and what to bring.",
                ],
                officials_response: None,
                agreed: &["Members will send families’ accounts to the secretariat, with consent."],
            },
            DemoItem {
                title: "Draft chapters of the report",
                summary: "Members reviewed the draft chapters of the report.",
                discussion: &[
                    "The chapters should lead with recommendations.",
                    "Evidence from members’ services should be referenced, not only summarised.",
                ],
                officials_response: None,
                agreed: &["The sponsors will revise the chapters in the light of comments."],
            },
        ],
        key_issues: &[
            "Video calls must add to visits, not replace them.",
            "Travel costs keep families apart.",
        ],
        next_steps: &["The report will be drafted in full for the December meeting."],
        aob: "None.",
    },
    DemoNote {
        meeting: "Accommodation on release: the picture now",
        purpose: "To establish what is known about accommodation for people leaving prison, and what the group should look at first.",
        items: &[
            DemoItem {
                title: "Community Accommodation Service: what the data show",
                summary: "HMPPS presented data from the Community Accommodation Service on referrals and outcomes.",
                discussion: &[
                    "Members asked how long people stay in the accommodation provided, and where they go next.",
                    "Referrals made in the last days before release often come too late.",
                    "Members asked for the figures by region.",
                ],
                officials_response: Some(
                    "Officials agreed to share regional figures with the group.",
                ),
                agreed: &[
                    "HMPPS will share regional figures from the Community Accommodation Service.",
                ],
            },
            DemoItem {
                title: "Duty to refer on release: members’ experience",
                summary: "Members described how the duty to refer works in their areas.",
                discussion: &[
                    "Some councils accept referrals by email; others insist on their own forms.",
                    "Prison staff often do not know which council to refer to.",
                ],
                officials_response: None,
                agreed: &[
                    "The group will look at the duty to refer in detail at its next meeting.",
                ],
            },
        ],
        key_issues: &[
            "Referrals for accommodation start too late.",
            "Outcomes after the first weeks are not known.",
        ],
        next_steps: &["Members will collect examples of referrals that failed."],
        aob: "None.",
    },
    DemoNote {
        meeting: "Duty to refer",
        purpose: "To look at how the duty to refer works for people leaving prison, and how it could work better.",
        items: &[
            DemoItem {
                title: "Duty to refer: the regional figures",
                summary: "HMPPS presented the regional figures it had agreed to share, and what they show about referrals.",
                discussion: &[
                    "Members noted the wide differences between regions in referrals accepted.",
                    "Members asked whether referrals are tracked to an outcome.",
                    "Prisons that start planning twelve weeks before release see better results.",
                ],
                officials_response: Some(
                    "Officials said referrals are not yet tracked to an outcome and agreed to look at how they could be.",
                ),
                agreed: &["Members will collect case studies of referrals that failed."],
            },
            DemoItem {
                title: "Examples from members’ services",
                summary: "Members shared examples from their services.",
                discussion: &[
                    "A single referral form accepted by every council would save time on both sides.",
                    "People released on a Friday are the most likely to sleep rough that night.",
                ],
                officials_response: None,
                agreed: &["The group will recommend a single referral form to RR3."],
            },
        ],
        key_issues: &[
            "Referrals are not followed through to an outcome.",
            "A single referral form would help councils and prisons alike.",
        ],
        next_steps: &["The group will report its recommendations to RR3."],
        aob: "None.",
    },
    DemoNote {
        meeting: "Drafting the report to RR3",
        purpose: "To agree the group’s draft report to RR3 on the future prison regime.",
        items: &[
            DemoItem {
                title: "Early reaction from HMPPS to the draft recommendations",
                summary: "HMPPS gave its early reaction to the draft recommendations.",
                discussion: &[
                    "Members asked which recommendations HMPPS could act on within a year.",
                    "Members asked that the response say where resources stand in the way.",
                ],
                officials_response: Some(
                    "Officials agreed to give a written response once the report is submitted.",
                ),
                agreed: &["The report will be submitted to RR3 at its January meeting."],
            },
            DemoItem {
                title: "The recommendations one by one",
                summary: "Members went through the recommendations one by one.",
                discussion: &[
                    "The recommendation on time out of cell was strengthened to include weekends.",
                    "A recommendation on family contact was added at members’ request.",
                ],
                officials_response: None,
                agreed: &["The sponsors will make the agreed changes."],
            },
            DemoItem {
                title: "Finishing the report",
                summary: "Members agreed how the report will be finished.",
                discussion: &["The executive summary should fit on one page."],
                officials_response: None,
                agreed: &["The secretariat will prepare the final text for RR3."],
            },
        ],
        key_issues: &["The report’s recommendations must be ones HMPPS can act on."],
        next_steps: &["The report goes to RR3 in January."],
        aob: "None.",
    },
    DemoNote {
        meeting: "Women's accommodation",
        purpose: "To look at accommodation for women leaving prison.",
        items: &[
            DemoItem {
                title: "Accommodation for women on release",
                summary: "HMPPS presented figures on accommodation for women on release.",
                discussion: &[
                    "Women are more often released to places far from their children.",
                    "Members asked for women-only accommodation in every region.",
                ],
                officials_response: Some(
                    "Officials agreed to map women-only accommodation by region.",
                ),
                agreed: &["HMPPS will map women-only accommodation by region."],
            },
            DemoItem {
                title: "What women tell members’ services",
                summary: "Members shared what women tell their services about release.",
                discussion: &[
                    "Losing a tenancy during a short sentence is the most common route to homelessness.",
                ],
                officials_response: None,
                agreed: &[
                    "Members will collect evidence on tenancies lost during short sentences.",
                ],
            },
        ],
        key_issues: &["Women need accommodation near their children and support."],
        next_steps: &["The group will report to RR3 on women’s accommodation."],
        aob: "None.",
    },
    DemoNote {
        meeting: "Quarterly meeting: January 2027",
        purpose: "To receive the Future Regime Design SIG’s report and agree the group’s response.",
        items: &[
            DemoItem {
                title: "HMPPS response to the Future Regime Design SIG’s report",
                summary: "HMPPS responded to the special interest group’s report.",
                discussion: &[
                    "Members welcomed the response and asked for a timetable for each recommendation.",
                ],
                officials_response: Some(
                    "Officials agreed to set out a timetable at the next meeting.",
                ),
                agreed: &["HMPPS will bring a timetable for the recommendations."],
            },
            DemoItem {
                title: "The funding outlook for the year",
                summary: "Members discussed the year’s funding outlook.",
                discussion: &[
                    "Several members expect to reduce services from April without new funding.",
                ],
                officials_response: None,
                agreed: &["The secretariat will gather members’ funding forecasts."],
            },
        ],
        key_issues: &["Recommendations need a timetable to be acted on."],
        next_steps: &["The secretariat will follow up the timetable with HMPPS."],
        aob: "None.",
    },
];

/// The note of a demonstration meeting: written for held meetings, so every
/// one has an entry above (the fallback keeps a future plan from failing).
fn demo_note(title: &str, covered: &[(Uuid, AgendaItemKind, &str)]) -> NoteContent {
    let Some(note) = DEMO_NOTES.iter().find(|n| n.meeting == title) else {
        return NoteContent {
            purpose: Some(format!("{title}.")),
            ..Default::default()
        };
    };
    let items = covered
        .iter()
        .zip(note.items)
        .map(|((id, _, _), item)| NoteItem {
            agenda_item_id: *id,
            summary: Some(item.summary.to_owned()),
            discussion: item
                .discussion
                .iter()
                .map(|text| Point {
                    text: (*text).to_owned(),
                    speaker_person_id: None,
                })
                .collect(),
            officials_response: item.officials_response.map(str::to_owned),
            agreed: item.agreed.iter().map(|a| (*a).to_owned()).collect(),
        })
        .collect();
    let owned = |texts: &[&str]| texts.iter().map(|t| (*t).to_owned()).collect();
    NoteContent {
        purpose: Some(note.purpose.to_owned()),
        items,
        key_issues: owned(note.key_issues),
        next_steps: owned(note.next_steps),
        aob: Some(note.aob.to_owned()),
        next_meeting: None,
    }
}
