package dev.switchboard.message.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.message.ChatException;
import dev.switchboard.message.Device;
import dev.switchboard.message.DevicePlatform;
import dev.switchboard.message.MembershipUpdate;
import dev.switchboard.message.NewUser;
import dev.switchboard.message.UserRef;
import dev.switchboard.wire.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devices and push targets on the embedded database (the H2 migration of the devices table). */
class H2DeviceStoreTest {
    static final UserRef ANA = new UserRef("acme", "ana");
    static final UserRef BEN = new UserRef("acme", "ben");
    static final UserRef CY = new UserRef("acme", "cy");
    static final UserRef DAN = new UserRef("acme", "dan");

    @TempDir
    Path dir;
    Database db;
    DeviceStore devices;
    ChannelStore channels;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseOptions.embedded(dir), new SimpleMeterRegistry());
        devices = new DeviceStore(db, Clock.systemUTC());
        channels = new JdbcChannelStore(db, Clock.systemUTC());
        UserStore users = new UserStore(db, Clock.systemUTC());
        for (UserRef u : List.of(ANA, BEN, CY, DAN)) {
            users.create(new NewUser(u.org(), u.userId(), u.userId().toUpperCase(), null, null));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void registrationIsIdempotentAndATokenMovesToItsNewOwner() {
        assertTrue(devices.register(BEN, DevicePlatform.APNS, "t1"));
        assertFalse(devices.register(BEN, DevicePlatform.APNS, "t1"));
        assertTrue(devices.register(BEN, DevicePlatform.FCM, "t1"), "the same token on another platform is another device");
        assertEquals(2, devices.devices(BEN).size());

        assertTrue(devices.register(CY, DevicePlatform.APNS, "t1"));
        assertEquals(List.of(new Device("acme", "ben", DevicePlatform.FCM, "t1")), devices.devices(BEN));
        assertEquals(List.of(new Device("acme", "cy", DevicePlatform.APNS, "t1")), devices.devices(CY));

        assertFalse(devices.unregister(BEN, "nope"));
        assertTrue(devices.unregister(BEN, "t1"));
        assertEquals(List.of(), devices.devices(BEN));
        ChatException bad = assertThrows(ChatException.class, () -> devices.register(BEN, DevicePlatform.FCM, "has space"));
        assertEquals(ErrorCode.BAD_REQUEST, bad.code());
    }

    @Test
    void pushTargetsSkipTheSenderAndMutedMembersUnlessNotifyAlways() {
        long g = channels.createGroup(ANA, "general", List.of("ben", "cy", "dan")).channel().id();
        devices.register(ANA, DevicePlatform.APNS, "ana-1");
        devices.register(BEN, DevicePlatform.APNS, "ben-1");
        devices.register(BEN, DevicePlatform.FCM, "ben-2");
        devices.register(CY, DevicePlatform.FCM, "cy-1");
        devices.register(DAN, DevicePlatform.FCM, "dan-1");
        channels.updateMembership(CY, g, new MembershipUpdate(true, null, null));
        channels.updateMembership(DAN, g, new MembershipUpdate(true, true, null));

        List<String> tokens = devices.pushTargets(g, "ana").stream().map(Device::token).toList();
        assertEquals(List.of("ben-1", "ben-2", "dan-1"), tokens);
        assertEquals("ANA", devices.userName("acme", "ana").orElseThrow());
    }
}
