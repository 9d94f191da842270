/** Autoscale settings as Microsoft.Insights serves them (monitor 2015-04-01 / 2022-10-01). */
import type { ArmResource } from "../index.js";
import { DEFAULT_WEB_LOCATION, resourceGroupId, withOptional } from "./ids.js";

export interface AutoscaleProfileSpec {
  name: string;
  /** Numbers are written as strings, as the API carries them. */
  capacity: { minimum: number | string; maximum: number | string; default: number | string };
  rules?: object[];
  /** e.g. `{ frequency: "Week", schedule: { timeZone: "UTC", days: ["Monday"], hours: [8], minutes: [0] } }`. */
  recurrence?: object;
  /** e.g. `{ timeZone: "UTC", start: "2015-03-05T14:00:00Z", end: "2015-03-05T14:30:00Z" }`. */
  fixedDate?: { timeZone?: string; start: string; end: string };
}

export interface AutoscaleSettingOptions {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  /** Usually an App Service plan ID. */
  targetResourceUri: string;
  enabled?: boolean;
  profiles: AutoscaleProfileSpec[];
  /** Sends targetResourceUri as given instead of lower-cased. */
  keepTargetCase?: boolean;
  tags?: Record<string, string>;
}

/**
 * A Microsoft.Insights/autoscalesettings resource (autoscaleSettings.listBySubscription items),
 * as the monitor 2022-10-01 listAutoscaleSetting example has it: the ID's provider lower-cased
 * (`microsoft.insights/autoscalesettings`), capacities as strings, `fixedDate` or `recurrence`
 * profiles. `targetResourceUri` is sent lower-cased, as ARM returns it for App Service plans,
 * unless `keepTargetCase`.
 */
export function autoscaleSetting(options: AutoscaleSettingOptions): ArmResource {
  const location = options.location ?? DEFAULT_WEB_LOCATION;
  return withOptional(
    {
      id: `${resourceGroupId(options.subscriptionId, options.resourceGroup)}/providers/microsoft.insights/autoscalesettings/${options.name}`,
      name: options.name,
      type: "Microsoft.Insights/autoscaleSettings",
      location,
      properties: {
        profiles: options.profiles.map((pr) =>
          withOptional(
            {
              name: pr.name,
              capacity: { minimum: String(pr.capacity.minimum), maximum: String(pr.capacity.maximum), default: String(pr.capacity.default) },
              rules: pr.rules ?? [],
            },
            { recurrence: pr.recurrence, fixedDate: pr.fixedDate },
          ),
        ),
        notifications: [],
        enabled: options.enabled ?? true,
        predictiveAutoscalePolicy: { scaleMode: "Disabled" },
        name: options.name,
        targetResourceUri: options.keepTargetCase ? options.targetResourceUri : options.targetResourceUri.toLowerCase(),
        targetResourceLocation: location,
      },
    },
    { tags: options.tags },
  );
}
