#include "net/client_address.hpp"
#include "realtime/address_slots.hpp"

#include <gtest/gtest.h>

namespace voxpop {
namespace {

TEST(ClientAddress, IsThePeerUnlessThePeerIsATrustedProxy) {
    EXPECT_EQ(client_address("203.0.113.7", "10.9.9.9", {}), "203.0.113.7")
        << "X-Forwarded-For from an untrusted peer is whatever the client chose to send";
    EXPECT_EQ(client_address("203.0.113.7", "10.9.9.9", {"127.0.0.1"}), "203.0.113.7");
    EXPECT_EQ(client_address("127.0.0.1", "", {"127.0.0.1"}), "127.0.0.1");
}

TEST(ClientAddress, BehindTrustedProxiesIsTheRightmostUntrustedHop) {
    const std::vector<std::string> proxies = {"127.0.0.1", "10.0.0.2"};
    EXPECT_EQ(client_address("127.0.0.1", "198.51.100.4", proxies), "198.51.100.4");
    // The client forged "1.2.3.4"; our own proxies appended the real hops after it.
    EXPECT_EQ(client_address("127.0.0.1", "1.2.3.4, 198.51.100.4, 10.0.0.2", proxies),
              "198.51.100.4");
    EXPECT_EQ(client_address("127.0.0.1", " 198.51.100.4 ,10.0.0.2", proxies), "198.51.100.4");
    EXPECT_EQ(client_address("127.0.0.1", "10.0.0.2", proxies), "10.0.0.2")
        << "only proxies in the chain: the leftmost is as close to the client as we know";
}

TEST(AddressSlots, CapsEachAddressAndReleasesWhenASlotGoes) {
    AddressSlots slots(2);
    auto first = slots.acquire("a");
    auto second = slots.acquire("a");
    ASSERT_TRUE(first && second);
    EXPECT_FALSE(slots.acquire("a")) << "third connection from one address";
    EXPECT_TRUE(slots.acquire("b")) << "other addresses are not affected";
    EXPECT_EQ(slots.held("a"), 2u);
    first.reset();
    EXPECT_EQ(slots.held("a"), 1u);
    auto third = slots.acquire("a");
    ASSERT_TRUE(third);
    AddressSlots::Slot moved = std::move(*third);
    third.reset();  // the moved-from slot releases nothing
    EXPECT_EQ(slots.held("a"), 2u);
    moved = AddressSlots::Slot{};
    EXPECT_EQ(slots.held("a"), 1u);
}

TEST(AddressSlots, ZeroMeansNoCap) {
    AddressSlots slots(0);
    std::vector<AddressSlots::Slot> held;
    for (int i = 0; i < 10'000; ++i) {
        auto slot = slots.acquire("a");
        ASSERT_TRUE(slot);
        held.push_back(std::move(*slot));
    }
    EXPECT_EQ(slots.held("a"), 0u) << "nothing is counted";
}

}  // namespace
}  // namespace voxpop
