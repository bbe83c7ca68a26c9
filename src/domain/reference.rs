//! Action references: `<group short name>-<meeting number>-A<action number>`, e.g.
//! `FRD-5-A3`. They are assigned by the service and never reused.

/// The reference of action `action_number` raised at meeting `meeting_number` of the
/// group with `short_name`.
pub fn action_reference(short_name: &str, meeting_number: i32, action_number: i32) -> String {
    format!("{short_name}-{meeting_number}-A{action_number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_the_group_meeting_and_action() {
        assert_eq!(action_reference("FRD", 5, 3), "FRD-5-A3");
        assert_eq!(action_reference("RR3", 12, 10), "RR3-12-A10");
    }
}
