//! Who is calling: bearer tokens, their roles, and the security scheme every API
//! operation declares.
//!
//! Tokens are 256 random bits shown once; minutebook keeps only their SHA-256 hash.
//! A fast hash is right here because the secret is high-entropy random, not a
//! password a person chose.

use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::Role;
use crate::service::changes::Stamp;
use crate::startup::AppState;
use crate::{Error, Result};

/// The prefix that makes a minutebook token recognisable in logs and secret scanners.
const TOKEN_PREFIX: &str = "mb_";

/// The prefix of a calendar feed's secret, which is not an API token and is never
/// accepted as one.
const FEED_PREFIX: &str = "mbcal_";

/// A new random token: `mb_` followed by 64 hex digits (256 bits).
pub fn generate_secret() -> String {
    random_secret(TOKEN_PREFIX)
}

/// A new calendar feed secret: `mbcal_` followed by 64 hex digits (256 bits).
pub fn generate_feed_secret() -> String {
    random_secret(FEED_PREFIX)
}

fn random_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    let mut secret = String::with_capacity(prefix.len() + 64);
    secret.push_str(prefix);
    for byte in bytes {
        secret.push_str(&format!("{byte:02x}"));
    }
    secret
}

/// The stored form of a token.
pub fn hash_secret(secret: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(secret.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(HEX[usize::from(byte >> 4)]));
        hex.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    hex
}

/// The caller behind a valid token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: Uuid,
    /// The token's name, recorded as the actor in the audit trail.
    pub name: String,
    pub role: Role,
    /// The person a member token speaks for.
    pub person_id: Option<Uuid>,
    /// The database's version when the token was checked, so that the rest of the
    /// request can use answers kept under it (see [`crate::api::read_cache`]);
    /// `None` where nothing is kept.
    pub stamp: Option<Stamp>,
}

impl Caller {
    pub fn is_secretariat(&self) -> bool {
        self.role == Role::Secretariat
    }

    /// Refuses anyone but the secretariat.
    pub fn require_secretariat(&self) -> Result<()> {
        if self.is_secretariat() {
            Ok(())
        } else {
            Err(Error::forbidden("only the secretariat may do this"))
        }
    }

    /// The person a member speaks for; the secretariat speaks for no one person.
    pub fn member_person(&self) -> Option<Uuid> {
        match self.role {
            Role::Member => self.person_id,
            Role::Secretariat => None,
        }
    }

    /// How the caller is named in audit events and status histories.
    pub fn actor(&self) -> String {
        format!("{} ({})", self.name, self.role)
    }
}

/// A bearer token issued by minutebook: `Authorization: Bearer <token>`. Secretariat
/// tokens may do everything; member tokens see their own groups and answer for their
/// own person.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "opaque token", checker = "check_token")]
pub struct BearerToken(pub Caller);

async fn check_token(req: &Request, bearer: Bearer) -> poem::Result<Caller> {
    let state = req
        .data::<AppState>()
        .expect("the application state is attached to every request");
    state
        .reads
        .caller(&state.db, &bearer.token)
        .await
        .map_err(|err| poem::Error::from(crate::api::error::ApiError::from(err)))
}

/// A bearer token where one is optional: public summary notes can be listed and
/// downloaded without one. Operations that take this see `Anonymous` when no token
/// (or an invalid one) was sent, and must refuse an invalid one themselves.
#[derive(SecurityScheme)]
pub enum OptionalToken {
    Token(BearerToken),
    #[oai(fallback)]
    Anonymous,
}
