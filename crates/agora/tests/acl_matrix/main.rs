//! The access-control matrix (issue 4), on both stores: every role against every
//! method and report on every kind of resource, each cell with the status it must
//! get. Roles: the owner (alice), a read sharee (bob), a read-write sharee
//! (carol), a free/busy-only sharee (dave), a write delegate (erin), a read
//! delegate (grace), a stranger (frank) and a request without credentials.
//! Resources: alice's shared calendar and an event in it, a public calendar (read
//! granted to DAV:unauthenticated) and an event in it, her shared address book and
//! a contact in it, her principal, and the shared calendar and event as each
//! sharee mounts them in their own home.
//!
//! Beyond the status, every answer is searched for what the role may not see
//! (event and contact text, names of unlisted and private members, e-mail
//! addresses for anonymous requests); every COPY that succeeds has what it
//! wrote read back by its new owner and searched the same way (a reader must not
//! copy what they may not read); each refused write is checked to have
//! changed nothing; writes that are allowed run on their own fresh object or
//! collection, so the state stays predictable; and the owner's data, ACLs, shares,
//! delegates and locks are verified at the end. Every mismatching cell is
//! reported in one run.
//!
//! The table states the correct answer everywhere. When it was first run it
//! found eight server faults, all fixed with it: GET listings named private
//! members; a read-write sharee could delete or MOVE the owner's collection
//! (unbind on the parent, RFC 3744 §3.10); principal-property-search answered
//! anonymous requests; expand-property named the requester as DAV:owner;
//! multigets ran on the other kind of collection; locks held per URL, so a
//! sharee wrote through the owner's lock via their mount; and a free/busy-only
//! sharee could not list their own home.

mod axes;
mod checks;
#[path = "../common/mod.rs"]
mod common;
mod requests;
mod runner;
mod table;

use axes::{OPS, RESOURCES, ROLES};
use common::*;
use runner::Matrix;
use table::{MATRIX, expected};

agora_testkit::on_both_stores!(every_role_gets_exactly_its_access);

fn every_role_gets_exactly_its_access(backend: Backend) {
    // No cell is skipped: every resource × operation is in the table once.
    assert_eq!(MATRIX.len(), RESOURCES.len() * OPS.len());
    for res in RESOURCES {
        for op in OPS {
            expected(res, op);
        }
    }
    let env = StoreEnv::new(backend);
    let server = Server::start(&env, &[]);
    let mut m = Matrix {
        env: &env,
        server: &server,
        http: client(),
        victims: [None, None, None],
        made: 0,
        originals: Vec::new(),
        mismatches: Vec::new(),
    };
    m.setup();
    let started = std::time::Instant::now();
    let mut cells = 0;
    for res in RESOURCES {
        for op in OPS {
            for (role, status) in ROLES.into_iter().zip(expected(res, op)) {
                m.cell(res, op, role, status);
                cells += 1;
            }
        }
    }
    m.verify_owner_data();
    eprintln!("{cells} cells in {:?}", started.elapsed());
    assert!(
        m.mismatches.is_empty(),
        "{} mismatches over {cells} cells:\n{}",
        m.mismatches.len(),
        m.mismatches.join("\n")
    );
}
