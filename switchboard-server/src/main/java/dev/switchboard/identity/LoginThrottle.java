package dev.switchboard.identity;

/** Placeholder replaced by the defences branch's throttle at merge. */
public class LoginThrottle {

    public void check(String username, String ip) {
    }

    public void failed(String username, String ip) {
    }

    public void succeeded(String username, String ip) {
    }
}
