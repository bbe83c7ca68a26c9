//! The rules of minutebook that need no database: the words of the domain (kinds,
//! roles, statuses), the lifecycles that say which changes are allowed, and the value
//! types that parse raw input into something known to be valid.

mod enums;
pub mod lifecycle;
pub mod reference;
pub mod values;
pub mod when;

pub use enums::*;
pub use values::{FieldError, Validation};
