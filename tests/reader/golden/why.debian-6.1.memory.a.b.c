memory in /a/b/c: not available.
1. / lists memory in cgroup.controllers.
2. / has memory in cgroup.subtree_control, so /a lists it in cgroup.controllers.
3. /a has memory in cgroup.subtree_control, so /a/b lists it in cgroup.controllers.
4. memory is not in /a/b's cgroup.subtree_control, so /a/b/c does not list it in cgroup.controllers.
Fix: echo +memory > /sys/fs/cgroup/a/b/cgroup.subtree_control
(A non-root cgroup that has processes of its own cannot enable a domain controller for its children: move them to a leaf cgroup first.)

source: module (debian-6.1.tree), kernel 6.1.0-57-amd64, cgmask.ko 0.1.0, lock mutex, 14 subsystems, mask width 16
