//! Access tokens (short-lived HS256 JWTs) and refresh tokens (random, stored as SHA-256 digests
//! so that a database leak does not hand out sessions).

use chrono::Utc;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The claims of an access token. Role and scope are *not* trusted from the token: every
/// request reloads the user, so that disabling an account or changing a role takes effect at once.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// Always `access`, so that no other token kind we may sign later is accepted here.
    pub typ: String,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        JwtKeys { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret) }
    }

    pub fn issue_access(&self, user_id: i64, ttl_seconds: i64) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = Claims { sub: user_id.to_string(), iat: now, exp: now + ttl_seconds, typ: "access".into() };
        Ok(encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// The user id of a valid, unexpired access token.
    pub fn verify_access(&self, token: &str) -> Option<i64> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        let data = decode::<Claims>(token, &self.decoding, &validation).ok()?;
        if data.claims.typ != "access" {
            return None;
        }
        data.claims.sub.parse().ok()
    }
}

/// The claims of a machine client's token (`client_credentials`). As with users, the client is
/// reloaded on every request: disabling it, narrowing its scopes or rotating its secret takes
/// effect at once, whatever the token says.
#[derive(Debug, Serialize, Deserialize)]
pub struct ClientClaims {
    /// The client's row id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// Always `client`: a client token is never an access token of a user, and back.
    pub typ: String,
    /// The scopes granted to this token, space-separated (OAuth 2.0 `scope`).
    pub scope: String,
    /// Which secret the token was issued for (a prefix of its digest): rotating the secret
    /// invalidates every token issued before.
    pub sgen: String,
}

impl JwtKeys {
    pub fn issue_client(
        &self,
        client_row_id: i64,
        scope: &str,
        secret_generation: &str,
        ttl_seconds: i64,
    ) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = ClientClaims {
            sub: client_row_id.to_string(),
            iat: now,
            exp: now + ttl_seconds,
            typ: "client".into(),
            scope: scope.to_string(),
            sgen: secret_generation.to_string(),
        };
        Ok(encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// The claims of a valid, unexpired client token.
    pub fn verify_client(&self, token: &str) -> Option<ClientClaims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        let data = decode::<ClientClaims>(token, &self.decoding, &validation).ok()?;
        (data.claims.typ == "client").then_some(data.claims)
    }
}

/// A new opaque refresh token (what the client keeps) and its digest (what we store).
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let digest = digest(&token);
    (token, digest)
}

pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_tokens_round_trip_and_reject_tampering() {
        let keys = JwtKeys::new(b"a-test-secret-that-is-long-enough");
        let token = keys.issue_access(42, 60).unwrap();
        assert_eq!(keys.verify_access(&token), Some(42));
        let other = JwtKeys::new(b"another-secret-also-long-enough!!");
        assert_eq!(other.verify_access(&token), None);
        assert_eq!(keys.verify_access(&format!("{token}x")), None);
    }

    #[test]
    fn client_and_user_tokens_are_never_taken_for_each_other() {
        let keys = JwtKeys::new(b"a-test-secret-that-is-long-enough");
        let client = keys.issue_client(7, "roster.read", "ab12", 60).unwrap();
        assert_eq!(keys.verify_client(&client).map(|c| (c.sub, c.scope)), Some(("7".into(), "roster.read".into())));
        assert_eq!(keys.verify_access(&client), None);
        let user = keys.issue_access(7, 60).unwrap();
        assert!(keys.verify_client(&user).is_none());
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = JwtKeys::new(b"a-test-secret-that-is-long-enough");
        let token = keys.issue_access(42, -60).unwrap();
        assert_eq!(keys.verify_access(&token), None);
    }

    #[test]
    fn refresh_tokens_are_stored_as_digests() {
        let (token, stored) = new_refresh_token();
        assert_eq!(token.len(), 64);
        assert_ne!(token, stored);
        assert_eq!(digest(&token), stored);
    }
}
