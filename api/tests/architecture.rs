//! The shape of the source tree, checked (docs/ARCHITECTURE.md, "The check"):
//! - the top-level modules of `api/src` import each other without a cycle;
//! - no source file is over [`MAX_FILE_LINES`] lines, its `#[cfg(test)]` part aside;
//! - no function is over [`MAX_FN_LINES`] lines, outside tests.
//!
//! It reads the sources with `syn`, so a path counts wherever the compiler would see one: `use`
//! trees, types, expressions, and the tokens of macros and attributes (`#[utoipa::path(..)]`).
//! Test code (`#[cfg(test)]` items, `#[test]` functions) is left out of all three checks.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};

/// A source file longer than this (its tests aside) is to be split by action or concept.
const MAX_FILE_LINES: usize = 600;

/// A function longer than this is to be cut into named steps.
const MAX_FN_LINES: usize = 100;

/// The crates whose sources are checked for size (the migrations are left out: one file per
/// migration, never changed once shipped).
const CRATES: &[&str] = &["api", "quota", "appraisal", "bench", "entities"];

/// Files over [`MAX_FILE_LINES`] today, being split (this list is to be emptied, never added to);
/// relative to the workspace root.
const FILES_BEING_SPLIT: &[&str] = &[];

/// Functions over [`MAX_FN_LINES`] today, being split (this list is to be emptied, never added
/// to): `path::function`, the path relative to the workspace root.
const FUNCTIONS_BEING_SPLIT: &[&str] = &[];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("api/ lies in the workspace").to_path_buf()
}

/// Every `.rs` file under `dir`, sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()))
}

fn relative(path: &Path) -> String {
    path.strip_prefix(workspace()).unwrap_or(path).display().to_string()
}

/// Whether an item is test code: `#[test]`, or `#[cfg(..)]` naming `test` (and not `not`).
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("test")
            || (attr.path().is_ident("cfg")
                && attr.meta.require_list().is_ok_and(|list| {
                    let cfg = list.tokens.to_string();
                    cfg.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "test") && !cfg.contains("not")
                }))
    })
}

// --- The module graph -------------------------------------------------------------------------

/// Where one module uses another: the file and line of the path.
#[derive(Clone, Debug)]
struct Evidence {
    file: String,
    line: usize,
    path: String,
}

/// The top-level modules a file refers to, with where.
struct ModuleRefs<'a> {
    file: String,
    /// The module path of the code being visited (`["changes", "feed", "views"]`).
    module: Vec<String>,
    top_level: &'a BTreeSet<String>,
    found: Vec<(String, Evidence)>,
}

impl ModuleRefs<'_> {
    /// Records the top-level module that a path of `segments` reaches from the current module,
    /// when it starts at the crate root (`crate::x`) or climbs to it (`super::super::x`).
    fn reach(&mut self, segments: &[String], line: usize) {
        let target = match segments.first().map(String::as_str) {
            Some("crate") => segments.get(1),
            Some("super") => {
                let climbs = segments.iter().take_while(|s| *s == "super").count();
                if climbs < self.module.len() {
                    // Still inside the same top-level module.
                    return;
                }
                segments.get(climbs)
            }
            _ => None,
        };
        let Some(target) = target.filter(|t| self.top_level.contains(*t)) else { return };
        if self.module.first() == Some(target) {
            return;
        }
        let evidence = Evidence { file: self.file.clone(), line, path: segments.join("::") };
        self.found.push((target.clone(), evidence));
    }

    /// `crate :: x` and `super :: … :: x` sequences in the tokens of a macro or an attribute.
    fn scan(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Group(group) => self.scan(group.stream()),
                TokenTree::Ident(ident) if ident == "crate" || ident == "super" => {
                    let preceded_by_colons =
                        i >= 1 && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == ':');
                    if preceded_by_colons {
                        continue;
                    }
                    let mut segments = vec![ident.to_string()];
                    let mut j = i + 1;
                    while let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)), Some(TokenTree::Ident(next))) =
                        (tokens.get(j), tokens.get(j + 1), tokens.get(j + 2))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        segments.push(next.to_string());
                        j += 3;
                    }
                    self.reach(&segments, ident.span().start().line);
                }
                _ => {}
            }
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => self.leaf(prefix, &name.ident),
            syn::UseTree::Rename(rename) => self.leaf(prefix, &rename.ident),
            // Line 0: [`ModuleRefs::visit_item_use`] puts the `use` line in.
            syn::UseTree::Glob(_) => self.reach(prefix, 0),
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }

    fn leaf(&mut self, prefix: &[String], ident: &syn::Ident) {
        let mut segments = prefix.to_vec();
        segments.push(ident.to_string());
        self.reach(&segments, ident.span().start().line);
    }
}

impl<'ast> Visit<'ast> for ModuleRefs<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            syn::Item::Enum(i) => &i.attrs,
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Static(i) => &i.attrs,
            syn::Item::Trait(i) => &i.attrs,
            syn::Item::Type(i) => &i.attrs,
            syn::Item::Macro(i) => &i.attrs,
            _ => return visit::visit_item(self, item),
        };
        if !is_test(attrs) {
            visit::visit_item(self, item);
        }
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        if !is_test(&item.attrs) {
            visit::visit_impl_item_fn(self, item);
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        // An inline module is one level deeper for `super`.
        self.module.push(item.ident.to_string());
        visit::visit_item_mod(self, item);
        self.module.pop();
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let line = item.use_token.span.start().line;
        let before = self.found.len();
        self.use_tree(&mut Vec::new(), &item.tree);
        for (_, evidence) in &mut self.found[before..] {
            if evidence.line == 0 {
                evidence.line = line;
            }
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(first) = path.segments.first() {
            self.reach(&segments, first.ident.span().start().line);
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.scan(mac.tokens.clone());
        visit::visit_macro(self, mac);
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if let syn::Meta::List(list) = &attr.meta {
            self.scan(list.tokens.clone());
        }
    }
}

/// The module path of a file of `api/src`: `changes/feed/mod.rs` is `["changes", "feed"]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .strip_prefix(src)
        .expect("under src")
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// For each top-level module of `api/src`, the modules it uses and where.
fn module_graph() -> BTreeMap<String, BTreeMap<String, Vec<Evidence>>> {
    let src = workspace().join("api/src");
    let files: Vec<PathBuf> = sources(&src)
        .into_iter()
        .filter(|f| {
            !matches!(f.file_name().and_then(|n| n.to_str()), Some("lib.rs" | "main.rs"))
                || f.parent() != Some(src.as_path())
        })
        .collect();
    let top_level: BTreeSet<String> = files.iter().map(|f| module_path(&src, f)[0].clone()).collect();
    let mut graph: BTreeMap<String, BTreeMap<String, Vec<Evidence>>> = BTreeMap::new();
    for file in &files {
        let module = module_path(&src, file);
        let mut refs =
            ModuleRefs { file: relative(file), module: module.clone(), top_level: &top_level, found: Vec::new() };
        refs.visit_file(&parse(file));
        let uses = graph.entry(module[0].clone()).or_default();
        for (target, evidence) in refs.found {
            uses.entry(target).or_default().push(evidence);
        }
    }
    graph
}

/// The strongly connected components of more than one module (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<String, BTreeMap<String, Vec<Evidence>>>) -> Vec<Vec<String>> {
    struct Tarjan<'g> {
        graph: &'g BTreeMap<String, BTreeMap<String, Vec<Evidence>>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        components: Vec<Vec<String>>,
    }
    impl<'g> Tarjan<'g> {
        fn connect(&mut self, v: &'g str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flat_map(|uses| uses.keys()) {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.connect(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.components.push(component);
                }
            }
        }
    }
    let mut tarjan = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for v in graph.keys() {
        if !tarjan.index.contains_key(v.as_str()) {
            tarjan.connect(v);
        }
    }
    tarjan.components
}

/// One shortest cycle through the first module of `component`, within it (breadth first).
fn one_cycle(graph: &BTreeMap<String, BTreeMap<String, Vec<Evidence>>>, component: &[String]) -> Vec<String> {
    let start = &component[0];
    let inside: BTreeSet<&String> = component.iter().collect();
    let mut came_from: BTreeMap<&String, &String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for w in graph[v].keys().filter(|w| inside.contains(w)) {
            if w == start {
                let mut cycle = vec![start.clone()];
                let mut at = v;
                while at != start {
                    cycle.push(at.clone());
                    at = came_from[at];
                }
                cycle.push(start.clone());
                cycle.reverse();
                return cycle;
            }
            if !came_from.contains_key(w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    unreachable!("a strongly connected component has a cycle through each of its modules")
}

#[test]
fn top_level_modules_form_no_cycle() {
    let graph = module_graph();
    let components = cycles(&graph);
    let mut report = String::new();
    for component in &components {
        let cycle = one_cycle(&graph, component);
        writeln!(report, "\nmodules in a cycle: {}", component.join(", ")).unwrap();
        writeln!(report, "  for one: {}", cycle.join(" -> ")).unwrap();
        for step in cycle.windows(2) {
            for evidence in graph[&step[0]][&step[1]].iter().take(3) {
                writeln!(
                    report,
                    "    {} -> {}: {}:{} ({})",
                    step[0], step[1], evidence.file, evidence.line, evidence.path
                )
                .unwrap();
            }
            let more = graph[&step[0]][&step[1]].len().saturating_sub(3);
            if more > 0 {
                writeln!(report, "    ... and {more} more").unwrap();
            }
        }
    }
    assert!(
        components.is_empty(),
        "the top-level modules of api/src must import each other without a cycle \
         (docs/ARCHITECTURE.md says which layer may import which):{report}"
    );
}

// --- Sizes ------------------------------------------------------------------------------------

/// The lines of `file` outside its test items.
fn lines_outside_tests(text: &str, file: &syn::File) -> usize {
    let total = text.lines().count();
    let in_tests: usize = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) if is_test(&m.attrs) => Some((m.attrs[0].pound_token.span.start().line, m)),
            _ => None,
        })
        .map(|(start, m)| {
            let end = match &m.content {
                Some((brace, _)) => brace.span.close().end().line,
                None => m.semi.map_or(start, |s| s.span.end().line),
            };
            end + 1 - start
        })
        .sum();
    total - in_tests
}

/// Functions and their lengths in lines, test code left out.
#[derive(Default)]
struct Functions {
    found: Vec<(String, usize)>,
}

impl Functions {
    fn record(&mut self, sig: &syn::Signature, block: &syn::Block) {
        let start = sig.fn_token.span.start().line;
        let end = block.brace_token.span.close().end().line;
        self.found.push((sig.ident.to_string(), end + 1 - start));
    }
}

impl<'ast> Visit<'ast> for Functions {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_test(&item.attrs) {
            visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if !is_test(&item.attrs) {
            self.record(&item.sig, &item.block);
            visit::visit_item_fn(self, item);
        }
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        if !is_test(&item.attrs) {
            self.record(&item.sig, &item.block);
            visit::visit_impl_item_fn(self, item);
        }
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(block) = &item.default {
            self.record(&item.sig, block);
        }
        visit::visit_trait_item_fn(self, item);
    }
}

fn crate_sources() -> Vec<PathBuf> {
    CRATES.iter().flat_map(|c| sources(&workspace().join(c).join("src"))).collect()
}

#[test]
fn no_source_file_is_over_the_limit() {
    let mut offenders = Vec::new();
    for path in crate_sources() {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines = lines_outside_tests(&text, &parse(&path));
        let name = relative(&path);
        if lines > MAX_FILE_LINES && !FILES_BEING_SPLIT.contains(&name.as_str()) {
            offenders.push(format!("  {name}: {lines} lines"));
        }
    }
    assert!(
        offenders.is_empty(),
        "source files over {MAX_FILE_LINES} lines (tests aside): split them by action or concept \
         (docs/ARCHITECTURE.md, \"One shape\"):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn no_function_is_over_the_limit() {
    let mut offenders = Vec::new();
    for path in crate_sources() {
        let mut functions = Functions::default();
        functions.visit_file(&parse(&path));
        let file = relative(&path);
        for (name, lines) in functions.found {
            let key = format!("{file}::{name}");
            if lines > MAX_FN_LINES && !FUNCTIONS_BEING_SPLIT.contains(&key.as_str()) {
                offenders.push(format!("  {key}: {lines} lines"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "functions over {MAX_FN_LINES} lines outside tests: cut them into named steps:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_allow_lists_name_only_real_offenders() {
    // An entry that no longer offends (split, renamed or moved) must leave the list.
    let files: BTreeSet<String> = crate_sources()
        .iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            lines_outside_tests(&text, &parse(p)) > MAX_FILE_LINES
        })
        .map(|p| relative(p))
        .collect();
    let functions: BTreeSet<String> = crate_sources()
        .iter()
        .flat_map(|p| {
            let mut functions = Functions::default();
            functions.visit_file(&parse(p));
            let file = relative(p);
            functions.found.into_iter().filter(|(_, l)| *l > MAX_FN_LINES).map(move |(n, _)| format!("{file}::{n}"))
        })
        .collect();
    let stale: Vec<&str> = FILES_BEING_SPLIT
        .iter()
        .filter(|f| !files.contains(**f))
        .chain(FUNCTIONS_BEING_SPLIT.iter().filter(|f| !functions.contains(**f)))
        .copied()
        .collect();
    assert!(stale.is_empty(), "no longer over the limit, remove from the allow-lists: {stale:?}");
}

/// The name a `#[derive(ToSchema)]` item takes in the OpenAPI document's components: its
/// `#[schema(as = Name)]`, else its identifier; `None` when it derives no schema.
fn schema_name(attrs: &[syn::Attribute], ident: &syn::Ident) -> Option<String> {
    let derives_schema = attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
        let mut found = false;
        let _ = a.parse_nested_meta(|m| {
            found |= m.path.segments.last().is_some_and(|s| s.ident == "ToSchema");
            Ok(())
        });
        found
    });
    if !derives_schema {
        return None;
    }
    let mut name = ident.to_string();
    for a in attrs.iter().filter(|a| a.path().is_ident("schema")) {
        let _ = a.parse_nested_meta(|m| {
            if m.path.is_ident("as") {
                let path: syn::Path = m.value()?.parse()?;
                name = path.segments.last().map_or(name.clone(), |s| s.ident.to_string());
            } else if m.input.peek(syn::Token![=]) {
                let _: syn::Expr = m.value()?.parse()?;
            } else if m.input.peek(syn::token::Paren) {
                let _content;
                syn::parenthesized!(_content in m.input);
            }
            Ok(())
        });
    }
    Some(name)
}

/// Every schema-deriving item's component name, with where it is declared.
struct Schemas {
    file: String,
    found: Vec<(String, String)>,
}

impl<'ast> Visit<'ast> for Schemas {
    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        if let Some(name) = schema_name(&item.attrs, &item.ident) {
            self.found.push((name, format!("{}: struct {}", self.file, item.ident)));
        }
    }

    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        if let Some(name) = schema_name(&item.attrs, &item.ident) {
            self.found.push((name, format!("{}: enum {}", self.file, item.ident)));
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_test(&item.attrs) {
            visit::visit_item_mod(self, item);
        }
    }
}

/// utoipa names a component after the type alone, so two `ToSchema` types of one name in
/// different modules become one schema: the second silently replaces the first, and every
/// operation that used the first documents the wrong body (it happened: a preparation's
/// participant shadowed attendance's `ParticipantView`). Names are unique across the crates
/// whose types reach the document.
#[test]
fn schema_names_are_unique_across_the_document_crates() {
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for krate in ["api", "entities", "quota", "appraisal"] {
        for path in sources(&workspace().join(krate).join("src")) {
            let mut schemas = Schemas { file: relative(&path), found: Vec::new() };
            schemas.visit_file(&parse(&path));
            for (name, place) in schemas.found {
                by_name.entry(name).or_default().push(place);
            }
        }
    }
    assert!(by_name.len() > 100, "the scan finds the schemas ({} found)", by_name.len());
    let clashes: Vec<String> = by_name
        .iter()
        .filter(|(_, places)| places.len() > 1)
        .map(|(name, places)| format!("{name}: {}", places.join("; ")))
        .collect();
    assert!(
        clashes.is_empty(),
        "ToSchema types sharing a component name (rename one, or `#[schema(as = ..)]`):\n{}",
        clashes.join("\n")
    );
}
