//! The enumerated words of the domain. Each is stored in the database as its
//! snake_case name and sent over the API the same way.

use std::fmt;
use std::str::FromStr;

/// A stored value that is not one of the known words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a known {kind}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

macro_rules! domain_enum {
    (
        $(#[$meta:meta])*
        $name:ident ($label:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, poem_openapi::Enum)]
        #[oai(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and transmitted name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue { kind: $label, value: value.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

domain_enum! {
    /// What kind of body an organisation is.
    OrganisationKind ("organisation kind") {
        VoluntarySector = "voluntary_sector",
        Moj = "moj",
        Hmpps = "hmpps",
        OtherGovernment = "other_government",
        Secretariat = "secretariat",
        Academic = "academic",
        Other = "other",
    }
}

impl OrganisationKind {
    /// Government bodies send officials rather than members.
    pub fn is_government(self) -> bool {
        matches!(self, Self::Moj | Self::Hmpps | Self::OtherGovernment)
    }
}

domain_enum! {
    /// `rr3` is the main advisory group; `sig` a special interest group under it.
    GroupKind ("group kind") {
        Rr3 = "rr3",
        Sig = "sig",
    }
}

domain_enum! {
    /// A group's life: proposed → active → closed.
    GroupStatus ("group status") {
        Proposed = "proposed",
        Active = "active",
        Closed = "closed",
    }
}

domain_enum! {
    /// The seat a person holds in a group.
    MembershipRole ("membership role") {
        Chair = "chair",
        CoChair = "co_chair",
        Sponsor = "sponsor",
        Member = "member",
        CoOpted = "co_opted",
        Official = "official",
        Observer = "observer",
        Secretariat = "secretariat",
    }
}

domain_enum! {
    /// How people meet.
    MeetingMode ("meeting mode") {
        InPerson = "in_person",
        Online = "online",
        Hybrid = "hybrid",
    }
}

impl MeetingMode {
    /// How the mode reads in documents and pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::InPerson => "In person",
            Self::Online => "Online",
            Self::Hybrid => "Hybrid (in person and online)",
        }
    }
}

domain_enum! {
    /// A meeting's life: scheduled → held, or cancelled, or postponed to another meeting.
    MeetingStatus ("meeting status") {
        Scheduled = "scheduled",
        Held = "held",
        Cancelled = "cancelled",
        Postponed = "postponed",
    }
}

domain_enum! {
    /// What an agenda item is for.
    AgendaItemKind ("agenda item kind") {
        Welcome = "welcome",
        PreviousActions = "previous_actions",
        Presentation = "presentation",
        Discussion = "discussion",
        Update = "update",
        Aob = "aob",
    }
}

domain_enum! {
    /// Who may see an agenda item: everyone (`public`), the group's members (`members`),
    /// or the secretariat only (`secretariat`).
    Visibility ("visibility") {
        Public = "public",
        Members = "members",
        Secretariat = "secretariat",
    }
}

impl Visibility {
    /// Whether something of this visibility may be shown to `audience`.
    pub fn visible_to(self, audience: Visibility) -> bool {
        self.rank() <= audience.rank()
    }

    fn rank(self) -> u8 {
        match self {
            Self::Public => 0,
            Self::Members => 1,
            Self::Secretariat => 2,
        }
    }
}

domain_enum! {
    /// The part a person plays at one meeting.
    AttendanceRole ("attendance role") {
        Chair = "chair",
        CoChair = "co_chair",
        Sponsor = "sponsor",
        Member = "member",
        CoOpted = "co_opted",
        Official = "official",
        Observer = "observer",
        Secretariat = "secretariat",
        Guest = "guest",
        Presenter = "presenter",
    }
}

impl From<MembershipRole> for AttendanceRole {
    fn from(role: MembershipRole) -> Self {
        match role {
            MembershipRole::Chair => Self::Chair,
            MembershipRole::CoChair => Self::CoChair,
            MembershipRole::Sponsor => Self::Sponsor,
            MembershipRole::Member => Self::Member,
            MembershipRole::CoOpted => Self::CoOpted,
            MembershipRole::Official => Self::Official,
            MembershipRole::Observer => Self::Observer,
            MembershipRole::Secretariat => Self::Secretariat,
        }
    }
}

domain_enum! {
    /// Where a person stands on the register: invited → accepted / apologies /
    /// no_response → attended / absent.
    AttendanceStatus ("attendance status") {
        Invited = "invited",
        Accepted = "accepted",
        Apologies = "apologies",
        NoResponse = "no_response",
        Attended = "attended",
        Absent = "absent",
    }
}

domain_enum! {
    /// Where an action stands.
    ActionStatus ("action status") {
        Open = "open",
        InProgress = "in_progress",
        Done = "done",
        Dropped = "dropped",
    }
}

impl ActionStatus {
    /// Open and in-progress actions are carried into later meetings.
    pub fn is_outstanding(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }

    /// How the status reads in documents.
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::InProgress => "In progress",
            Self::Done => "Done",
            Self::Dropped => "Dropped",
        }
    }
}

domain_enum! {
    /// What a token may do: `secretariat` everything; `member` read its own groups and
    /// answer for its own person.
    Role ("role") {
        Secretariat = "secretariat",
        Member = "member",
    }
}

domain_enum! {
    /// Where a summary note is: draft (being written, editable) → circulated (sent to
    /// members for comment until a deadline) → approved (agreed) → published (a frozen
    /// version exists). A correction takes a published note back to draft.
    NoteStatus ("note status") {
        Draft = "draft",
        Circulated = "circulated",
        Approved = "approved",
        Published = "published",
    }
}

domain_enum! {
    /// How far a note may name who said what: `non_attributed` (no discussion point
    /// names its speaker), `officials_named` (only officials and presenters are
    /// named) or `fully_attributed` (every speaker is named).
    Attribution ("attribution") {
        NonAttributed = "non_attributed",
        OfficialsNamed = "officials_named",
        FullyAttributed = "fully_attributed",
    }
}

domain_enum! {
    /// Who a published version of a note is for: the group's `members` (with the
    /// officials who attend) or the `public`.
    NoteAudience ("note audience") {
        Members = "members",
        Public = "public",
    }
}

impl NoteAudience {
    /// The agenda items this audience may see.
    pub fn visibility(self) -> Visibility {
        match self {
            Self::Members => Visibility::Members,
            Self::Public => Visibility::Public,
        }
    }
}

domain_enum! {
    /// Where a member's comment on a circulated note stands: `open` until the
    /// secretariat decides on it (`adopted` or `not_adopted`), or `withdrawn` by the
    /// person who made it.
    CommentStatus ("comment status") {
        Open = "open",
        Withdrawn = "withdrawn",
        Adopted = "adopted",
        NotAdopted = "not_adopted",
    }
}

domain_enum! {
    /// The secretariat's decision on a comment.
    CommentDecision ("comment decision") {
        Adopted = "adopted",
        NotAdopted = "not_adopted",
    }
}

impl CommentDecision {
    /// The comment's status once decided.
    pub fn status(self) -> CommentStatus {
        match self {
            Self::Adopted => CommentStatus::Adopted,
            Self::NotAdopted => CommentStatus::NotAdopted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T])
    where
        T: Copy + fmt::Display + FromStr<Err = UnknownValue> + PartialEq + fmt::Debug,
        T: poem_openapi::types::ToJSON,
    {
        for value in all {
            let text = value.to_string();
            assert_eq!(T::from_str(&text).unwrap(), *value);
            // The stored name and the API's name are the same word.
            assert_eq!(value.to_json(), Some(serde_json::Value::String(text)));
        }
    }

    #[test]
    fn every_word_reads_back_as_itself_in_storage_and_over_the_api() {
        round_trips(OrganisationKind::ALL);
        round_trips(GroupKind::ALL);
        round_trips(GroupStatus::ALL);
        round_trips(MembershipRole::ALL);
        round_trips(MeetingMode::ALL);
        round_trips(MeetingStatus::ALL);
        round_trips(AgendaItemKind::ALL);
        round_trips(Visibility::ALL);
        round_trips(AttendanceRole::ALL);
        round_trips(AttendanceStatus::ALL);
        round_trips(ActionStatus::ALL);
        round_trips(Role::ALL);
        round_trips(NoteStatus::ALL);
        round_trips(Attribution::ALL);
        round_trips(NoteAudience::ALL);
        round_trips(CommentStatus::ALL);
        round_trips(CommentDecision::ALL);
    }

    #[test]
    fn an_unknown_word_is_refused_with_its_kind() {
        let err = MeetingMode::from_str("carrier_pigeon").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`carrier_pigeon` is not a known meeting mode"
        );
    }

    #[test]
    fn secretariat_items_are_hidden_from_members_and_members_items_from_the_public() {
        use Visibility::*;
        assert!(Public.visible_to(Public));
        assert!(Public.visible_to(Members));
        assert!(!Members.visible_to(Public));
        assert!(Members.visible_to(Members));
        assert!(!Secretariat.visible_to(Members));
        assert!(Secretariat.visible_to(Secretariat));
    }
}
