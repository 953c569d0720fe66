//! The JSON Schema of the payload each act handler reads, for the API document: derived from the very types the
//! handlers parse (`HandlerCtx::parse`), with their doc comments as descriptions and `deny_unknown_fields` as
//! `additionalProperties: false`, so the document says what the engine accepts.

use utoipa::openapi::{RefOr, Schema};

/// A payload's schema, and the named schemas it refers to (nested types), to be added to the document's
/// components.
pub struct PayloadSchema {
    pub schema: RefOr<Schema>,
    pub components: Vec<(String, RefOr<Schema>)>,
}

pub(crate) fn of<T: utoipa::ToSchema>() -> PayloadSchema {
    let mut components = Vec::new();
    T::schemas(&mut components);
    PayloadSchema { schema: T::schema(), components }
}
