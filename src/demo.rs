//! `minutebook seed-demo`: a realistic year of RR3 and two of its SIGs.

use sea_orm::DatabaseConnection;

/// Fills the database with demonstration data and says what it made.
pub async fn seed(_db: &DatabaseConnection) -> anyhow::Result<String> {
    anyhow::bail!("the demonstration data is not available in this build")
}
