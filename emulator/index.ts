/**
 * The ARM emulator: Azure Resource Manager's read side over HTTPS on loopback, with the App
 * Service managed-identity endpoint, for the demo, the bench and the tests (emulator/README.md).
 */
export { startArmEmulator } from "./arm/server.js";
export {
  ARM_READ_THROTTLE,
  armClientOptions,
  type ArmClientOptions,
  type ArmEmulator,
  type ArmEmulatorOptions,
  type ArmResource,
  type CountOptions,
  type EmulatedManagementGroup,
  type EmulatedSubscription,
  type EmulatedTenant,
  type FaultHandle,
  type FaultSpec,
  type FaultStatus,
  type PageFaultSpec,
  type RecordedRequest,
  type SubscriptionState,
  type ThrottleSettings,
  type TokenBucketSettings,
  type TokenRequestRecord,
} from "./arm/types.js";
