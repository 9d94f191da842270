/**
 * The Microsoft Learn articles the rules cite, by title. Rule metadata carries reference URLs
 * (they travel in every finding); the docs render them as "Title", section "Heading" so a
 * reader knows what a link is before following it. A reference whose article (or section
 * anchor) is missing here makes `npm run docs` and the docs tests fail, so a new reference
 * arrives with its title.
 */

/** Article URL (no anchor, no locale) → the article's title on Microsoft Learn. */
export const LEARN_ARTICLES: Readonly<Record<string, string>> = {
  "https://learn.microsoft.com/azure/app-service/overview-vnet-integration": "Integrate your app with an Azure virtual network",
  "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration": "Configure gateway-required virtual network integration",
  "https://learn.microsoft.com/azure/app-service/networking-features": "App Service networking features",
  "https://learn.microsoft.com/azure/app-service/tutorial-networking-isolate-vnet":
    "Tutorial: Isolate back-end communication in Azure App Service with Virtual Network integration",
  "https://learn.microsoft.com/azure/app-service/configure-vnet-integration-enable": "Enable virtual network integration in Azure App Service",
  "https://learn.microsoft.com/azure/app-service/configure-vnet-integration-routing": "Manage Virtual Network Integration routing",
  "https://learn.microsoft.com/azure/app-service/configure-ssl-bindings": "Secure a custom DNS name with a TLS/SSL binding in Azure App Service",
  "https://learn.microsoft.com/azure/app-service/configure-ssl-certificate": "Add and manage TLS/SSL certificates in Azure App Service",
  "https://learn.microsoft.com/azure/app-service/policy-reference": "Azure Policy built-in definitions for Azure App Service",
  "https://learn.microsoft.com/azure/azure-functions/functions-networking-options": "Azure Functions networking options",
  "https://learn.microsoft.com/azure/expressroute/expressroute-howto-coexist-resource-manager": "Configure ExpressRoute and Site-to-Site coexisting connections",
  "https://learn.microsoft.com/azure/private-link/private-endpoint-dns": "Azure Private Endpoint private DNS zone values",
  "https://learn.microsoft.com/azure/virtual-network/subnet-delegation-overview": "What is subnet delegation?",
  "https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoint-policies-overview":
    "Virtual network service endpoint policies for Azure Storage",
  "https://learn.microsoft.com/azure/vpn-gateway/point-to-site-certificate-gateway": "Configure server settings for P2S VPN Gateway certificate authentication",
};

/** Anchored URL → the heading of that section. */
export const LEARN_SECTIONS: Readonly<Record<string, string>> = {
  "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#subnet-requirements": "Subnet requirements",
  "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#limitations": "Limitations",
  "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#application-routing": "Application routing",
  "https://learn.microsoft.com/azure/app-service/overview-vnet-integration#azure-dns-private-zones": "Azure DNS private zones",
  "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration#set-up-a-gateway-in-your-azure-virtual-network":
    "Set up a gateway in your Azure virtual network",
  "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration#manage-virtual-network-integration": "Manage virtual network integration",
  "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration#gateway-required-virtual-network-integration-certificates":
    "Gateway-required virtual network integration certificates",
  "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration#certificate-renewal": "Certificate renewal",
  "https://learn.microsoft.com/azure/app-service/configure-gateway-required-vnet-integration#pricing-details": "Pricing details",
  "https://learn.microsoft.com/azure/app-service/configure-ssl-bindings#enforce-https": "Enforce HTTPS",
  "https://learn.microsoft.com/azure/azure-functions/functions-networking-options#virtual-network-integration": "Virtual network integration",
};

export interface LearnCitation {
  url: string;
  title: string;
  section?: string;
}

/** The article (and section) a reference URL points to; throws for one not catalogued above. */
export function learnCitation(url: string): LearnCitation {
  const [article, anchor] = url.split("#", 2) as [string, string | undefined];
  const title = LEARN_ARTICLES[article];
  if (title === undefined) throw new Error(`${url} has no title in src/docs/learn.ts (LEARN_ARTICLES)`);
  if (anchor === undefined) return { url, title };
  const section = LEARN_SECTIONS[url];
  if (section === undefined) throw new Error(`${url} has no section heading in src/docs/learn.ts (LEARN_SECTIONS)`);
  return { url, title, section };
}

/** `[Title](url), section "Heading"` in Markdown. */
export function learnLink(url: string): string {
  const { title, section } = learnCitation(url);
  return `[${title}](${url})${section ? `, section "${section}"` : ""}`;
}
