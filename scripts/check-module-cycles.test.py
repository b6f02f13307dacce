#!/usr/bin/env python3
"""Self-tests of check-module-cycles.py on small fixture crates written to a temporary directory."""

import contextlib
import importlib.util
import io
import os
import tempfile
import textwrap
import unittest

_spec = importlib.util.spec_from_file_location(
    "check_module_cycles", os.path.join(os.path.dirname(__file__), "check-module-cycles.py"))
cmc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cmc)


class Fixture(unittest.TestCase):
    def check(self, files):
        """Writes `files` (path under the crate -> source) and runs the check; (status, output)."""
        with tempfile.TemporaryDirectory() as root:
            crate = os.path.join(root, "demo")
            for path, src in {"Cargo.toml": '[package]\nname = "demo"\n', **files}.items():
                full = os.path.join(crate, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8") as f:
                    f.write(textwrap.dedent(src))
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                status = cmc.main(["--root", root, crate])
            return status, out.getvalue()

    def assert_cycle(self, files, *chain):
        status, out = self.check(files)
        self.assertEqual(status, 1, out)
        self.assertIn("  cycle: " + " -> ".join(f"demo/src/{f}" for f in chain), out)
        return out

    def assert_no_cycle(self, files):
        status, out = self.check(files)
        self.assertEqual(status, 0, out)
        self.assertIn("ok: no import cycles", out)


class Cycles(Fixture):
    def test_two_siblings_importing_each_other_are_a_cycle_with_the_lines_that_make_it(self):
        out = self.assert_cycle({
            "src/lib.rs": "mod a;\nmod b;\n",
            "src/a.rs": "use crate::b::Thing;\n",
            "src/b.rs": "pub struct Thing;\n\nfn f() { crate::a::g() }\n",
        }, "a.rs", "b.rs", "a.rs")
        self.assertIn("demo (lib demo/src/lib.rs): 2 files import each other", out)
        self.assertIn("demo/src/a.rs:1: use crate::b::Thing", out)
        self.assertIn("demo/src/b.rs:3: crate::a::g", out)

    def test_a_loop_through_three_files_in_mod_rs_and_name_rs_layouts_is_found(self):
        self.assert_cycle({
            "src/lib.rs": "mod fb;\nmod top;\n",
            "src/fb/mod.rs": "mod auth;\nmod faults;\n",
            "src/fb/auth.rs": "use super::faults::magic;\n",
            "src/fb/faults.rs": "fn f() { crate::top::usage(); }\n",
            "src/top.rs": "mod inner;\npub fn usage() { self::inner::x(); crate::fb::auth::y(); }\n",
            "src/top/inner.rs": "pub fn x() {}\n",
        }, "fb/auth.rs", "fb/faults.rs", "top.rs", "fb/auth.rs")

    def test_a_grouped_use_makes_one_edge_per_leaf(self):
        out = self.assert_cycle({
            "src/lib.rs": "mod a;\nmod b;\nmod c;\n",
            "src/a.rs": "use crate::{b, c::{self as cc, Thing}};\n",
            "src/b.rs": "",
            "src/c.rs": "use super::a::*;\n",
        }, "a.rs", "c.rs", "a.rs")
        self.assertNotIn("demo/src/b.rs", out)

    def test_a_child_using_its_parent_is_an_edge(self):
        self.assert_cycle({
            "src/lib.rs": "mod fb;\nmod other;\n",
            "src/fb/mod.rs": "mod child;\nuse crate::other::x;\n",
            "src/fb/child.rs": "use super::helper;\n",
            "src/other.rs": "use crate::fb::child::y;\n",
        }, "fb/child.rs", "fb/mod.rs", "other.rs", "fb/child.rs")

    def test_super_super_from_an_inline_test_module_climbs_from_the_files_module(self):
        self.assert_cycle({
            "src/lib.rs": "mod a;\nmod b;\n",
            "src/a.rs": "mod nested;\n",
            "src/a/nested.rs": "#[cfg(test)]\nmod tests {\n    use super::super::super::b::x;\n}\n",
            "src/b.rs": "use crate::a::nested::y;\n",
        }, "a/nested.rs", "b.rs", "a/nested.rs")

    def test_a_binary_is_its_own_crate(self):
        self.assert_cycle({
            "src/main.rs": "mod a;\nmod b;\nfn main() {}\n",
            "src/a.rs": "use crate::b::x;\n",
            "src/b.rs": "use crate::a::y;\n",
        }, "a.rs", "b.rs", "a.rs")


class NotCycles(Fixture):
    def test_a_parent_using_its_children_while_they_use_it_is_fine(self):
        self.assert_no_cycle({
            "src/lib.rs": "mod fb;\npub struct Shared;\nfn run() { fb::routes(); crate::fb::auth::go(); }\n",
            "src/fb/mod.rs": "pub mod auth;\npub use auth::Caller;\nuse self::auth::go;\n"
                             "pub fn now() {}\nfn r() { auth::go(); }\n",
            "src/fb/auth.rs": "use crate::Shared;\nuse super::now;\npub fn go() { super::now(); }\n",
        })

    def test_an_inline_test_module_using_super_glob_is_the_same_file(self):
        self.assert_no_cycle({
            "src/lib.rs": "mod a;\nmod b;\n",
            "src/a.rs": "use crate::b::x;\n#[cfg(test)]\nmod tests {\n    use super::*;\n"
                        "    fn t() { super::f(); self::g(); }\n}\n",
            "src/b.rs": "pub fn x() {}\n",
        })

    def test_paths_in_comments_strings_and_visibilities_are_not_imports(self):
        self.assert_no_cycle({
            "src/lib.rs": "mod a;\nmod b;\n",
            "src/a.rs": "use crate::b::x;\n",
            "src/b.rs": textwrap.dedent('''\
                //! See [`crate::a::thing`].
                /* crate::a::x /* nested */ crate::a::y */
                pub(crate) fn x<'a>(s: &'a str) -> char {
                    let _ = "crate::a::f()";
                    let _ = r#"use crate::a::f; "quoted""#;
                    let _ = b"crate::a";
                    let _ = '"';
                    let _ = '\\'';
                    'x'
                }
                pub(in crate::a) fn y() {}
                '''),
        })

    def test_extern_and_std_paths_are_ignored(self):
        self.assert_no_cycle({
            "src/lib.rs": "mod a;\nmod b;\n",
            "src/a.rs": "use std::fmt;\nuse ::serde::Serialize;\nuse crate::b::x;\n",
            "src/b.rs": "use serde_json::json;\nfn f() { ::std::mem::drop(1); }\n",
        })

    def test_an_item_path_points_at_the_file_of_its_module_not_a_deeper_one(self):
        # `crate::a::B` names a.rs; a/b.rs is only reached through `crate::a::b::…`.
        self.assert_no_cycle({
            "src/lib.rs": "mod a;\nmod c;\n",
            "src/a.rs": "pub mod b;\npub struct B;\n",
            "src/a/b.rs": "use crate::c::z;\n",
            "src/c.rs": "use crate::a::B;\npub fn z() {}\n",
        })

    def test_path_attributes_are_followed(self):
        self.assert_no_cycle({
            "src/lib.rs": '#[path = "other_name.rs"]\nmod a;\nmod b;\n',
            "src/other_name.rs": "use crate::b::x;\n",
            "src/b.rs": "pub fn x() {}\n",
        })
        self.assert_cycle({
            "src/lib.rs": '#[cfg(all())]\n#[path = "other_name.rs"]\npub mod a;\nmod b;\n',
            "src/other_name.rs": "use crate::b::x;\n",
            "src/b.rs": "use crate::a::y;\n",
        }, "b.rs", "other_name.rs", "b.rs")


class Lexer(unittest.TestCase):
    def test_grouped_use_trees_are_split_into_leaves(self):
        facts = cmc.parse_file("pub use crate::{a, b::{c, d as e}, f::*};\n")
        self.assertEqual([segs for _, segs, _, _ in facts.refs],
                         [["crate", "a"], ["crate", "b", "c"], ["crate", "b", "d"], ["crate", "f"]])

    def test_inline_modules_are_tracked_by_braces(self):
        facts = cmc.parse_file("mod m { fn f() { if x { } } mod n { use super::q; } }\nuse self::r;\n")
        self.assertEqual([(prefix, segs) for prefix, segs, _, _ in facts.refs],
                         [(("m", "n"), ["super", "q"]), ((), ["self", "r"])])


if __name__ == "__main__":
    unittest.main()
