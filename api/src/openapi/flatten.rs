//! `#[serde(flatten)]` of a struct with `deny_unknown_fields` becomes, in utoipa, an `allOf` of
//! the closed struct (`additionalProperties: false`) and the outer fields. No value can validate
//! against that: the closed part refuses the outer fields, which the other part requires. A
//! quota rule (`RuleSpec` flattened into `QuotaRuleView` and `Template`) is the case here.
//!
//! [`flatten_closed_all_of`] rewrites every such `allOf` of objects, when at least one of them is
//! closed, into the one closed object the server writes: every property, every required name.

use std::collections::BTreeMap;

use utoipa::openapi::schema::{AdditionalProperties, AllOf, ArrayItems, Object, Schema, Type};
use utoipa::openapi::{Content, OpenApi as Spec, RefOr};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Merges every `allOf` of objects, one of them closed, into a single closed object: in the
/// components and in the operations' response and request bodies.
pub fn flatten_closed_all_of(spec: &mut Spec) {
    let named: BTreeMap<String, RefOr<Schema>> =
        spec.components.as_ref().map(|c| c.schemas.clone().into_iter().collect()).unwrap_or_default();
    if let Some(components) = spec.components.as_mut() {
        for schema in components.schemas.values_mut() {
            visit(schema, &named);
        }
    }
    for item in spec.paths.paths.values_mut() {
        for op in [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete]
            .into_iter()
            .filter_map(Option::as_mut)
        {
            for response in op.responses.responses.values_mut() {
                if let RefOr::T(response) = response {
                    response.content.values_mut().for_each(|content| visit_content(content, &named));
                }
            }
            if let Some(RefOr::T(body)) = op.request_body.as_mut() {
                body.content.values_mut().for_each(|content| visit_content(content, &named));
            }
        }
    }
}

fn visit_content(content: &mut RefOr<Content>, named: &BTreeMap<String, RefOr<Schema>>) {
    if let RefOr::T(Content { schema: Some(schema), .. }) = content {
        visit(schema, named);
    }
}

fn visit(schema: &mut RefOr<Schema>, named: &BTreeMap<String, RefOr<Schema>>) {
    let RefOr::T(inner) = schema else { return };
    match inner {
        Schema::Object(object) => {
            for property in object.properties.values_mut() {
                visit(property, named);
            }
            if let Some(AdditionalProperties::RefOr(extra)) = object.additional_properties.as_deref_mut() {
                visit(extra, named);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                visit(items, named);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(|s| visit(s, named)),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(|s| visit(s, named)),
        Schema::AllOf(all_of) => {
            all_of.items.iter_mut().for_each(|s| visit(s, named));
            if let Some(merged) = merge(all_of, named) {
                *inner = Schema::Object(merged);
            }
        }
        _ => {}
    }
}

/// The object an `allOf` item is: inline, or a reference to a component.
fn object_of<'a>(item: &'a RefOr<Schema>, named: &'a BTreeMap<String, RefOr<Schema>>) -> Option<&'a Object> {
    match item {
        RefOr::T(Schema::Object(object)) => Some(object),
        RefOr::Ref(reference) => {
            let name = reference.ref_location.strip_prefix(COMPONENT_PREFIX)?;
            match named.get(name)? {
                RefOr::T(Schema::Object(object)) => Some(object),
                _ => None,
            }
        }
        _ => None,
    }
}

fn is_closed(object: &Object) -> bool {
    matches!(object.additional_properties.as_deref(), Some(AdditionalProperties::FreeForm(false)))
}

fn merge(all_of: &AllOf, named: &BTreeMap<String, RefOr<Schema>>) -> Option<Object> {
    let parts: Vec<&Object> = all_of.items.iter().map(|item| object_of(item, named)).collect::<Option<_>>()?;
    if !parts.iter().any(|part| is_closed(part)) {
        return None;
    }
    let mut merged = Object::with_type(Type::Object);
    merged.title = all_of.title.clone();
    merged.description = all_of.description.clone().or_else(|| parts.iter().find_map(|p| p.description.clone()));
    merged.example = all_of.example.clone();
    merged.examples = all_of.examples.clone();
    for part in parts {
        for (name, property) in &part.properties {
            merged.properties.insert(name.clone(), property.clone());
        }
        for name in &part.required {
            if !merged.required.contains(name) {
                merged.required.push(name.clone());
            }
        }
    }
    merged.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
    Some(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flattened_closed_struct_becomes_one_closed_object() {
        let spec = crate::openapi::spec();
        let schemas = &spec.components.as_ref().unwrap().schemas;
        for name in ["QuotaRuleView", "Template"] {
            let Some(RefOr::T(Schema::Object(object))) = schemas.get(name) else {
                panic!("{name} is not one object");
            };
            assert!(is_closed(object), "{name} is closed");
            for field in ["id", "name", "metric", "min"] {
                assert!(object.properties.contains_key(field), "{name} has {field}");
            }
            assert!(object.required.contains(&"id".to_string()) && object.required.contains(&"metric".to_string()));
        }
    }
}
